export * from './aurora-cluster';
export * from './proxy';
export * from './global-database';
export * from './custom-endpoint';
export * from './reader-autoscaling';
