// Main-thread proxy of the writer worker: same promise API as CaptureWriter, so callers cannot
// tell where the write happens. Each promise settles when the worker reports the commit. A worker
// that dies is started again (its pending captures fail), so one bad moment does not stop captures.

import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { StoreProblem } from './health';
import type { CaptureIds, CapturePart, CaptureRecord, CaptureRow } from './records';
import type { WriterReply, WriterRequest } from './writer-protocol';

type Settle = { resolve: (v: CaptureIds[] | undefined) => void; reject: (e: Error) => void };
type CaptureSettle = { resolve: (v: CaptureIds) => void; reject: (e: Error) => void };

/** The captures of one turn of the event loop, sent to the worker as one message. */
interface Batch {
  records: CaptureRecord[];
  settles: CaptureSettle[];
  transfer: Set<ArrayBuffer>;
}

/** A worker that dies within this long of its start is started again only after this long. */
const RESTART_BACKOFF_MS = 1000;

/** The compiled worker script, when this module runs from dist/ (not under ts-jest). */
export function workerScript(): string | undefined {
  return __filename.endsWith('.js') ? path.join(__dirname, 'writer-thread.js') : undefined;
}

export interface WorkerHooks {
  onCommit: () => void;
  /** A problem began (`reason`) or ended (`reason: null`). */
  onProblem: (problem: StoreProblem, reason: string | null) => void;
}

const storeError = (message: string, code?: string): Error => Object.assign(new Error(message), code ? { code } : {});

export class WorkerWriter {
  private worker!: Worker;
  private readonly pending = new Map<number, Settle>();
  private seq = 0;
  private startedAt = 0;
  /** Set while no worker runs (between a death and the restart), and for good once closed. */
  private down: Error | null = null;
  private closing = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private batch: Batch | null = null;

  constructor(
    private readonly data: { file: string; parts: readonly CapturePart[] },
    private readonly script: string,
    private readonly hooks: WorkerHooks,
  ) {
    this.start();
  }

  private start(): void {
    this.restartTimer = null;
    const worker = new Worker(this.script, { workerData: this.data });
    this.worker = worker;
    this.startedAt = Date.now();
    this.down = null;
    let lastError = '';
    worker.on('message', (m: WriterReply) => this.onReply(m));
    worker.on('error', (e: unknown) => (lastError = `: ${(e as Error)?.message ?? String(e)}`));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      const stopped = storeError(`capture writer stopped (exit ${code}${lastError})`, 'WRITER_STOPPED');
      for (const p of this.pending.values()) p.reject(stopped);
      this.pending.clear();
      if (this.closing) return;
      this.down = stopped;
      this.hooks.onProblem('writer', `${this.down.message}; restarting it`);
      const wait = Date.now() - this.startedAt < RESTART_BACKOFF_MS ? RESTART_BACKOFF_MS : 0;
      this.restartTimer = setTimeout(() => this.start(), wait);
    });
  }

  private onReply(m: WriterReply): void {
    if (m.type === 'ready') return this.hooks.onProblem('writer', null);
    if (m.type === 'checkpoint') return this.hooks.onProblem('checkpoint', m.reason);
    const p = this.pending.get(m.seq);
    if (!p) return;
    this.pending.delete(m.seq);
    if (m.type === 'failed') return p.reject(storeError(m.message, m.code));
    p.resolve(m.ids);
    if (m.ids) this.hooks.onCommit();
  }

  private send(m: Omit<WriterRequest, 'seq'> & Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<CaptureIds[] | undefined> {
    if (this.down) return Promise.reject(this.down);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ ...m, seq }, transfer);
    });
  }

  /**
   * Queued with every other capture of this turn of the event loop and sent as one message (one
   * structured clone, one reply) when the turn ends. The body moves to the worker without a copy
   * when it owns its memory; the caller must not use it after.
   */
  capture(record: CaptureRecord): Promise<CaptureIds> {
    if (this.down) return Promise.reject(this.down);
    if (!this.batch) {
      this.batch = { records: [], settles: [], transfer: new Set() };
      setImmediate(() => this.sendBatch());
    }
    const batch = this.batch;
    batch.records.push(transferable(record, batch.transfer));
    return new Promise((resolve, reject) => batch.settles.push({ resolve, reject }));
  }

  private sendBatch(): void {
    const batch = this.batch;
    this.batch = null;
    if (!batch) return;
    this.send({ type: 'captures', records: batch.records }, [...batch.transfer]).then(
      (ids) => batch.settles.forEach((s, i) => s.resolve(ids![i])),
      (e: Error) => batch.settles.forEach((s) => s.reject(e)),
    );
  }
  async reset(): Promise<void> {
    this.sendBatch(); // captures queued before the reset go first, as they came
    await this.send({ type: 'reset' });
  }
  async probe(): Promise<void> {
    await this.send({ type: 'probe' });
  }
  async close(): Promise<void> {
    this.sendBatch();
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (!this.down) await this.send({ type: 'close' }).catch(() => undefined);
    this.down = storeError('capture store closed', 'STORE_CLOSED');
    await this.worker.terminate();
  }
}

/**
 * Every byte array of the record on an ArrayBuffer of its own, added to `transfer`: a view into a
 * larger buffer (a slice of a socket read, Node's 8 KiB allocation pool) would otherwise be cloned
 * with the whole buffer behind it. The request body moves without a copy when it owns its memory
 * (the caller gave it up); every other array is copied, as its owner may still send it.
 */
function transferable(record: CaptureRecord, transfer: Set<ArrayBuffer>): CaptureRecord {
  const r = record.request;
  const b = r.body;
  const whole = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer && !transfer.has(b.buffer);
  if (whole && b.byteLength > 0) transfer.add(b.buffer);
  else r.body = copy(b, transfer);
  if (r.responseBody) r.responseBody = copy(r.responseBody, transfer);
  for (const row of record.rows ?? []) copyRow(row, transfer);
  return record;
}

function copyRow(row: CaptureRow, transfer: Set<ArrayBuffer>): void {
  for (const [k, v] of Object.entries(row.params)) if (v instanceof Uint8Array) row.params[k] = copy(v, transfer);
}

/** An exact-size copy on its own ArrayBuffer (Buffer.from would take small ones from the shared pool). */
function copy(u: Uint8Array, transfer: Set<ArrayBuffer>): Buffer {
  const own = new Uint8Array(u);
  if (own.byteLength > 0) transfer.add(own.buffer);
  return Buffer.from(own.buffer, 0, own.byteLength);
}
