// Messages between the main thread and the capture writer worker.

import type { CaptureIds, CaptureRecord } from './records';

export type WriterRequest =
  /** Every capture of one turn of the main thread's event loop, committed in one transaction. */
  | { type: 'captures'; seq: number; records: CaptureRecord[] }
  | { type: 'reset'; seq: number }
  | { type: 'close'; seq: number }
  /** Commits a one-page write, to learn whether the store can commit again (store/health.ts). */
  | { type: 'probe'; seq: number };

export type WriterReply =
  | { type: 'ready'; seq: 0 }
  | { type: 'done'; seq: number; ids?: CaptureIds[] }
  | { type: 'failed'; seq: number; message: string; code?: string }
  /** A WAL checkpoint failed (`reason`) or succeeded again (`reason: null`). */
  | { type: 'checkpoint'; seq: 0; reason: string | null };
