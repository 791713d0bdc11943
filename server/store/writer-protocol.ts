// Messages between the main thread and the capture writer worker.

import type { CaptureIds, CaptureRecord } from './records';

export type WriterRequest =
  | { type: 'capture'; seq: number; record: CaptureRecord }
  | { type: 'reset'; seq: number }
  | { type: 'close'; seq: number }
  /** Commits a one-page write, to learn whether the store can commit again (store/health.ts). */
  | { type: 'probe'; seq: number };

export type WriterReply =
  | { type: 'ready'; seq: 0 }
  | { type: 'done'; seq: number; ids?: CaptureIds }
  | { type: 'failed'; seq: number; message: string; code?: string }
  /** A WAL checkpoint failed (`reason`) or succeeded again (`reason: null`). */
  | { type: 'checkpoint'; seq: 0; reason: string | null };
