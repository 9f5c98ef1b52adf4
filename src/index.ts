export * from './aurora-cluster';
export * from './custom-endpoint';
export * from './reader-autoscaling';
