// Main-thread proxy of the writer worker: same promise API as CaptureWriter, so callers cannot
// tell where the write happens. Each promise settles when the worker reports the commit.

import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CaptureIds, CapturePart, CaptureRecord } from './records';
import type { WriterReply, WriterRequest } from './writer-protocol';

type Settle = { resolve: (v: CaptureIds | undefined) => void; reject: (e: Error) => void };

/** The compiled worker script, when this module runs from dist/ (not under ts-jest). */
export function workerScript(): string | undefined {
  return __filename.endsWith('.js') ? path.join(__dirname, 'writer-thread.js') : undefined;
}

export class WorkerWriter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Settle>();
  private seq = 0;
  private failed: Error | null = null;

  constructor(
    data: { file: string; parts: readonly CapturePart[] },
    script: string,
    private readonly onCommit: () => void,
  ) {
    this.worker = new Worker(script, { workerData: data });
    this.worker.on('message', (m: WriterReply) => this.onReply(m));
    this.worker.on('error', (e) => this.fail(new Error(`capture writer stopped: ${e.message}`)));
    this.worker.on('exit', (code) => {
      if (this.pending.size) this.fail(new Error(`capture writer exited (${code})`));
    });
  }

  private onReply(m: WriterReply): void {
    if (m.type === 'ready') return;
    const p = this.pending.get(m.seq);
    if (!p) return;
    this.pending.delete(m.seq);
    if (m.type === 'failed') return p.reject(new Error(m.message));
    p.resolve(m.ids);
    if (m.ids) this.onCommit();
  }

  private fail(e: Error): void {
    this.failed = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private send(m: Omit<WriterRequest, 'seq'> & Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<CaptureIds | undefined> {
    if (this.failed) return Promise.reject(this.failed);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ ...m, seq }, transfer);
    });
  }

  /** The body moves to the worker without a copy when it owns its memory; the caller must not use it after. */
  capture(record: CaptureRecord): Promise<CaptureIds> {
    const body = record.request.body;
    const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
    return this.send({ type: 'capture', record }, owned && body.byteLength > 0 ? [body.buffer] : []) as Promise<CaptureIds>;
  }
  async reset(): Promise<void> {
    await this.send({ type: 'reset' });
  }
  async close(): Promise<void> {
    if (!this.failed) await this.send({ type: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}
