import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import {
  ProxyThresholdValues,
  proxyThresholdRules,
  unresolvedProxyThresholds,
  warnUncheckedThresholds,
} from './proxy-alarm-specs';
import { throwIfBroken } from './validate';

/**
 * What `AuroraCluster.addRecommendedAlarms()` asks of the cluster's proxies: their recommended alarms, to the same
 * topic, with the thresholds given as `proxyAlarmThresholds`.
 */
export interface ClusterProxyAlarmsRequest {
  readonly topic: sns.ITopic;
  readonly thresholds: ProxyThresholdValues;
  /** The path of the cluster's alarms construct, for messages. */
  readonly requestedBy: string;
}

/** A proxy of the library, as the registry sees it: it adds the alarms the cluster asks for, unless it has its own. */
export type ProxyAlarmsListener = (request: ClusterProxyAlarmsRequest) => void;

const REQUESTS = new WeakMap<IConstruct, ClusterProxyAlarmsRequest>();
const PROXIES = new WeakMap<IConstruct, ProxyAlarmsListener[]>();

/**
 * Records that `cluster` has recommended alarms, and gives the proxies already registered for it their alarms. Kept
 * by construct, so that the order of `addRecommendedAlarms()` and of the proxies' creation does not matter.
 */
export function requestClusterProxyAlarms(cluster: IConstruct, request: ClusterProxyAlarmsRequest): void {
  REQUESTS.set(cluster, request);
  for (const listener of PROXIES.get(cluster) ?? []) listener(request);
}

/** Registers a proxy of `cluster`; it gets its alarms now if the cluster already has recommended alarms. */
export function registerProxyOfCluster(cluster: IConstruct, listener: ProxyAlarmsListener): void {
  PROXIES.set(cluster, [...(PROXIES.get(cluster) ?? []), listener]);
  const request = REQUESTS.get(cluster);
  if (request) listener(request);
}

/**
 * Called by the cluster's recommended alarms (`alarms`): checks `proxyAlarmThresholds` at once (a cluster without a
 * proxy yet still gets its mistakes reported), then asks the cluster's proxies, present and future, for their alarms.
 */
export function watchClusterProxies(
  alarms: IConstruct,
  cluster: IConstruct,
  topic: sns.ITopic,
  thresholds: ProxyThresholdValues | undefined,
): void {
  const values = thresholds ?? {};
  throwIfBroken(alarms.node.path, proxyThresholdRules(values, 'proxyAlarmThresholds.'));
  warnUncheckedThresholds(alarms, unresolvedProxyThresholds(values, 'proxyAlarmThresholds.'));
  requestClusterProxyAlarms(cluster, { topic, thresholds: values, requestedBy: alarms.node.path });
}
