export * from './aurora-cluster';
