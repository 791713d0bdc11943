// JSON for the admin API: bigints (FILETIMEs, QWORDs) as decimal strings, Buffers as hex,
// errors as `{ error: { code, message } }`.

import type { Response } from 'express';

export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    const b = v as { type?: unknown; data?: unknown } | null;
    if (b && typeof b === 'object' && b.type === 'Buffer' && Array.isArray(b.data)) return Buffer.from(b.data as number[]).toString('hex');
    return v;
  });
}

export function sendJson(res: Response, status: number, value: unknown): void {
  const body = toJson(value);
  res.status(status).set('content-type', 'application/json; charset=utf-8').send(body);
}

export const sendError = (res: Response, status: number, code: string, message: string): void => sendJson(res, status, { error: { code, message } });
