export * from './aurora-cluster';
export * from './proxy';
