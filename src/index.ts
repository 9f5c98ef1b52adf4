export * from './aurora-cluster';
export * from './proxy';
export * from './global-database';
