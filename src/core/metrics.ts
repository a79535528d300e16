import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process-wide Prometheus registry served at /metrics. */
export const registry = new Registry();
// prom-client's default names already start with process_ or nodejs_: pinpipe_process_cpu_user_seconds_total, pinpipe_nodejs_eventloop_lag_seconds.
collectDefaultMetrics({ register: registry, prefix: 'pinpipe_' });

type Labels = readonly string[];

function once<T>(name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** A counter named `pinpipe_<component>_<thing>_<unit>_total`; the same name returns the same metric. */
export function counter(name: string, help: string, labelNames: Labels = []): Counter<string> {
  return once(name, () => new Counter({ name, help, labelNames: [...labelNames], registers: [registry] }));
}

export function gauge(name: string, help: string, labelNames: Labels = []): Gauge<string> {
  return once(name, () => new Gauge({ name, help, labelNames: [...labelNames], registers: [registry] }));
}

export function histogram(name: string, help: string, labelNames: Labels = [], buckets?: number[]): Histogram<string> {
  return once(name, () => new Histogram({ name, help, labelNames: [...labelNames], buckets, registers: [registry] }));
}
