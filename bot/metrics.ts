/**
 * Prometheus metrics (served at GET /metrics). One registry per process; labels are small, fixed sets.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ConversationModel } from './db/models/index.ts';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'findo_' });

export const webhookRequests = new Counter({
  name: 'findo_webhook_requests_total',
  help: 'Webhook requests by provider and outcome',
  labelNames: ['provider', 'outcome'] as const,
  registers: [registry],
});

export const webhookLatency = new Histogram({
  name: 'findo_webhook_duration_seconds',
  help: 'Webhook answer latency by provider and outcome',
  labelNames: ['provider', 'outcome'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  registers: [registry],
});

export const jobRuns = new Counter({
  name: 'findo_jobs_total',
  help: 'Job runs by name and outcome',
  labelNames: ['job', 'outcome'] as const,
  registers: [registry],
});

export const messagesOut = new Counter({
  name: 'findo_messages_total',
  help: 'Outbound WhatsApp messages by audience and outcome (sent, failed, skipped, deferred, unconfirmed)',
  labelNames: ['audience', 'outcome'] as const,
  registers: [registry],
});

new Gauge({
  name: 'findo_open_conversations',
  help: 'Conversations currently open',
  registers: [registry],
  async collect() {
    this.set(await ConversationModel.countDocuments({ status: 'open' }).setOptions({ allTenants: true }));
  },
});
