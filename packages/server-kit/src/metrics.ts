import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Metric names are part of the public contract (DESIGN.md). Each service makes one registry and
 * takes the metrics it reports from these factories, so a name is spelt in one place only.
 */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export const metricFactories = {
  httpRequestDuration: (registry: Registry) =>
    new Histogram({
      name: 'tidings_http_request_duration_seconds',
      help: 'HTTP request duration by method, route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  notificationsCreated: (registry: Registry) =>
    new Counter({
      name: 'tidings_notifications_created_total',
      help: 'Notification rows created, by type.',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
  wsConnections: (registry: Registry) =>
    new Gauge({ name: 'tidings_ws_connections', help: 'Open WebSocket connections on this gateway.', registers: [registry] }),
  wsMessagesSent: (registry: Registry) =>
    new Counter({ name: 'tidings_ws_messages_sent_total', help: 'Frames written to WebSocket clients.', registers: [registry] }),
  deliveryLatency: (registry: Registry) =>
    new Histogram({
      name: 'tidings_delivery_latency_seconds',
      help: 'From notification created to frame written.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
  wsSlowConsumerCloses: (registry: Registry) =>
    new Counter({
      name: 'tidings_ws_slow_consumer_closes_total',
      help: 'Connections closed because their send buffer passed the limit.',
      registers: [registry],
    }),
  outboxRepublished: (registry: Registry) =>
    new Counter({ name: 'tidings_outbox_republished_total', help: 'Notifications republished by the outbox relay.', registers: [registry] }),
  emailSent: (registry: Registry) =>
    new Counter({ name: 'tidings_email_sent_total', help: 'Emails by final status.', labelNames: ['status'] as const, registers: [registry] }),
  emailSendDuration: (registry: Registry) => new Histogram({ name: 'tidings_email_send_duration_seconds', help: 'SMTP send duration.', registers: [registry] }),
  queueDepth: (registry: Registry) =>
    new Gauge({ name: 'tidings_queue_depth', help: 'Jobs waiting per queue.', labelNames: ['queue'] as const, registers: [registry] }),
};
