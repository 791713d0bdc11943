// Worker-thread side of the capture writer: owns the SQLite write connection, group-commits what
// the main thread sends, checkpoints the WAL off the main thread, and answers each message by seq.
// Nothing here may throw out of a handler or the timer: an uncaught error ends the thread.

import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { CaptureWriter, clearTables, probeCommit } from './capture';
import { bodyFilesOf } from './open';
import { CHECKPOINT_EVERY_MS, Checkpointer } from './health';
import type { CaptureIds, CapturePart, CaptureRecord, CaptureRow } from './records';
import type { WriterReply, WriterRequest } from './writer-protocol';

function main(): void {
  const port = parentPort!;
  const { file, parts } = workerData as { file: string; parts: CapturePart[] };
  const db = new Database(file);
  db.pragma('synchronous = OFF');
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('foreign_keys = ON');
  const reply = (m: WriterReply) => port.postMessage(m);
  const checkpoints = new Checkpointer(
    () => db.pragma('wal_checkpoint(PASSIVE)'),
    (reason) => reply({ type: 'checkpoint', seq: 0, reason }),
  );
  const bodies = bodyFilesOf(file);
  const writer = new CaptureWriter(db, parts, () => checkpoints.markDirty(), bodies);
  const timer = setInterval(() => checkpoints.tick(), CHECKPOINT_EVERY_MS);
  /** A message that is not captures (reset, probe, close), answered once done. */
  const handle = (m: Exclude<WriterRequest, Captures>): void => {
    if (m.type === 'reset') clearTables(db, parts, bodies);
    else if (m.type === 'probe') probeCommit(db);
    else if (m.type === 'close') {
      clearInterval(timer);
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        // Closed even when the checkpoint fails (disk full): the WAL keeps the commits.
        db.close();
      }
    }
    reply({ type: 'done', seq: m.seq });
  };
  // The captures of messages that queued while the last transaction ran are committed in one
  // transaction (fewer commits, and consecutive rows share their pages). If it fails, each message
  // is tried alone, so one bad record fails only its own message.
  const commit = (group: Captures[]): void => {
    let ids: CaptureIds[];
    try {
      ids = writer.writeAll(group.flatMap((m) => m.records.map(toBuffers)));
    } catch (e) {
      if (group.length === 1) return reply(failed(group[0].seq, e));
      return group.forEach((m) => commit([m]));
    }
    let at = 0;
    for (const m of group) reply({ type: 'done', seq: m.seq, ids: ids.slice(at, (at += m.records.length)) });
    writer.compact();
  };
  port.on('message', (first: WriterRequest) => {
    let group: Captures[] = [];
    let records = 0;
    // Everything already waiting, in order, up to GROUP_RECORDS captures per transaction.
    for (let m: WriterRequest | undefined = first; m; m = records < GROUP_RECORDS ? (receiveMessageOnPort(port)?.message as WriterRequest | undefined) : undefined) {
      if (m.type === 'captures') {
        group.push(m);
        records += m.records.length;
        continue;
      }
      if (group.length > 0) commit(group);
      group = [];
      records = 0;
      try {
        handle(m);
      } catch (e) {
        reply(failed(m.seq, e));
      }
    }
    if (group.length > 0) commit(group);
  });
  reply({ type: 'ready', seq: 0 });
}

type Captures = Extract<WriterRequest, { type: 'captures' }>;

/** At most this many records in one transaction of queued messages (a message is never split). */
const GROUP_RECORDS = 512;

function failed(seq: number, e: unknown): WriterReply {
  const err = e as { message?: unknown; code?: unknown } | null;
  return { type: 'failed', seq, message: typeof err?.message === 'string' ? err.message : String(e), code: typeof err?.code === 'string' ? err.code : undefined };
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
}

main();
