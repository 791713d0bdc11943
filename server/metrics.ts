// The mock's Prometheus metrics (GET /__admin/metrics, text format 0.0.4), with prom-client: one
// registry per server (no global one, so several servers run in one process). Per request only
// plain counts are incremented and one histogram observed; the text is made when it is scraped.

import { Counter, Histogram, Registry } from 'prom-client';
import type { CaptureRecord } from './store';

/** Seconds: a capture commit is sub-millisecond in memory, tens of ms on a slow disk. */
const CAPTURE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class Metrics {
  readonly registry = new Registry();
  /**
   * Counts by label values, as plain numbers: prom-client hashes a label object on every `inc`
   * (~2 µs a call here); a Map update is ~50 ns. The counters read them when scraped (`collect`).
   */
  private readonly requestCounts = new Map<string, { labels: { protocol: string; status: string }; n: number }>();
  private readonly findingCounts = new Map<string, { labels: { rule: string; level: string }; n: number }>();

  constructor() {
    const requestCounts = this.requestCounts;
    const findingCounts = this.findingCounts;
    new Counter({
      name: 'sqm_cer_mock_requests_total',
      help: 'Requests captured, by protocol and answered status (-1: no answer, a fault or an abort)',
      labelNames: ['protocol', 'status'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of requestCounts.values()) this.inc(c.labels, c.n);
      },
    });
    new Counter({
      name: 'sqm_cer_mock_findings_total',
      help: 'Findings recorded with captured requests, by rule and level',
      labelNames: ['rule', 'level'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of findingCounts.values()) this.inc(c.labels, c.n);
      },
    });
  }

  private readonly capture = new Histogram({
    name: 'sqm_cer_mock_capture_duration_seconds',
    help: 'Time to commit one capture to the store, before the answer is sent',
    buckets: CAPTURE_BUCKETS,
    registers: [this.registry],
  });
  private readonly failures = new Counter({
    name: 'sqm_cer_mock_capture_failures_total',
    help: 'Captures the store could not commit (answered 503)',
    registers: [this.registry],
  });

  /** One committed capture: its request, its findings, and how long the commit took. */
  captured(record: CaptureRecord, commitMs: number): void {
    const { protocol, status } = record.request;
    count(this.requestCounts, `${status} ${protocol}`, () => ({ protocol, status: String(status) }));
    for (const f of record.findings ?? []) count(this.findingCounts, `${f.level} ${f.rule}`, () => ({ rule: f.rule, level: f.level }));
    this.capture.observe(commitMs / 1000);
  }

  captureFailed(): void {
    this.failures.inc();
  }

  /** The Prometheus text exposition and its content type. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

function count<L>(counts: Map<string, { labels: L; n: number }>, key: string, labels: () => L): void {
  const c = counts.get(key);
  if (c) c.n++;
  else counts.set(key, { labels: labels(), n: 1 });
}
