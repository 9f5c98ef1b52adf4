export * from './aurora-cluster';
export * from './global-database';
