// Worker-thread side of the capture writer: owns the SQLite write connection, group-commits what
// the main thread sends, checkpoints the WAL off the main thread, and answers each message by seq.

import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { CaptureWriter, clearTables } from './capture';
import type { CapturePart, CaptureRecord, CaptureRow } from './records';
import type { WriterReply, WriterRequest } from './writer-protocol';

const CHECKPOINT_EVERY_MS = 500;

function main(): void {
  const port = parentPort!;
  const { file, parts } = workerData as { file: string; parts: CapturePart[] };
  const db = new Database(file);
  db.pragma('synchronous = OFF');
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('foreign_keys = ON');
  const reply = (m: WriterReply) => port.postMessage(m);
  let dirty = false;
  const writer = new CaptureWriter(db, parts, () => (dirty = true));
  const timer = setInterval(() => {
    if (!dirty) return;
    dirty = false;
    db.pragma('wal_checkpoint(PASSIVE)');
  }, CHECKPOINT_EVERY_MS);
  port.on('message', (m: WriterRequest) => {
    if (m.type === 'capture') {
      writer.capture(toBuffers(m.record)).then(
        (ids) => reply({ type: 'done', seq: m.seq, ids }),
        (e: Error) => reply({ type: 'failed', seq: m.seq, message: e.message }),
      );
    } else if (m.type === 'reset') {
      writer.flush();
      clearTables(db, parts);
      reply({ type: 'done', seq: m.seq });
    } else if (m.type === 'close') {
      writer.flush();
      clearInterval(timer);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      reply({ type: 'done', seq: m.seq });
    }
  });
  reply({ type: 'ready', seq: 0 });
}

/** Structured clone turns Buffers into plain Uint8Arrays: make them Buffers again for SQLite. */
const buf = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

function toBuffers(r: CaptureRecord): CaptureRecord {
  r.request.body = buf(r.request.body);
  if (r.request.responseBody) r.request.responseBody = buf(r.request.responseBody);
  for (const row of r.rows ?? []) rowBuffers(row);
  return r;
}

function rowBuffers(row: CaptureRow): void {
  for (const [k, v] of Object.entries(row.params)) if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row.params[k] = buf(v);
  for (const c of row.children ?? []) rowBuffers(c);
}

main();
