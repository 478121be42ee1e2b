import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

/** The server's Prometheus metrics, one registry per server instance (tests run several). */
export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'kefu_' })
  return {
    registry,
    messages: new Counter({
      name: 'kefu_messages_total',
      help: 'Messages stored, by author role and kind',
      labelNames: ['role', 'kind'] as const,
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'kefu_message_duplicates_total',
      help: 'Resent messages recognised by cid and not stored again',
      registers: [registry],
    }),
    frames: new Counter({
      name: 'kefu_frames_total',
      help: 'Frames received, by type',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    frameErrors: new Counter({
      name: 'kefu_frame_errors_total',
      help: 'Frames answered with an error, by code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    connections: new Gauge({
      name: 'kefu_ws_connections',
      help: 'Open WebSocket connections',
      registers: [registry],
    }),
    sendLatency: new Histogram({
      name: 'kefu_message_ack_seconds',
      help: 'From a message frame arriving to its ack leaving: validation, storage, fan-out',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    queueLength: new Gauge({
      name: 'kefu_queue_length',
      help: 'Conversations waiting for an agent',
      registers: [registry],
    }),
    assignments: new Counter({
      name: 'kefu_assignments_total',
      help: 'Conversations handed to an agent, by team and whether via overflow',
      labelNames: ['team', 'overflow'] as const,
      registers: [registry],
    }),
    offlinePurged: new Counter({
      name: 'kefu_offline_purged_total',
      help: 'Offline deliveries dropped after the retention period',
      registers: [registry],
    }),
    jobRuns: new Counter({
      name: 'kefu_job_runs_total',
      help: 'Scheduled jobs run, by job and outcome: a job that stopped running shows here first',
      labelNames: ['job', 'outcome'] as const,
      registers: [registry],
    }),
  }
}
export type Metrics = ReturnType<typeof createMetrics>
