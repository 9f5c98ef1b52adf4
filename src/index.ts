export * from './aurora-cluster';
export * from './proxy';
export * from './global-database';
export * from './custom-endpoint';
export * from './reader-autoscaling';
export * from './restore';
export * from './cluster-snapshot';
export * from './integrations';
