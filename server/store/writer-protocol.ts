// Messages between the main thread and the capture writer worker.

import type { CaptureIds, CaptureRecord } from './records';

export type WriterRequest = { type: 'capture'; seq: number; record: CaptureRecord } | { type: 'reset'; seq: number } | { type: 'close'; seq: number };

export type WriterReply = { type: 'ready'; seq: 0 } | { type: 'done'; seq: number; ids?: CaptureIds } | { type: 'failed'; seq: number; message: string };
