// Admin answers written while they are produced: a value is cut into JSON text chunks (big arrays
// and LazyLists element by element, small parts in one piece), written with backpressure, so no
// admin read holds a whole list or a whole large session as one string.

import type { Response } from 'express';
import { LazyList } from '../core/query';
import { toJson } from './json';

/** Nodes a part may have and still be written in one piece. */
const SMALL = 4096;
/** Array elements tried in one piece at a time. */
const SLICE = 512;
/** Text gathered before a write. */
const WRITE_AT = 64 * 1024;

const isLeaf = (v: unknown): boolean => v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function';

/** True when `v` has more than `budget` nodes or a LazyList (stops counting there). */
function heavy(v: unknown, budget = SMALL): boolean {
  let n = 0;
  const over = (x: unknown): boolean => {
    if (++n > budget || x instanceof LazyList) return true;
    if (isLeaf(x)) return false;
    for (const e of Array.isArray(x) ? x : Object.values(x as object)) if (over(e)) return true;
    return false;
  };
  return over(v);
}

/** The JSON text of `v` in chunks; the same text as toJson(v). */
export function* jsonChunks(v: unknown): Generator<string> {
  if (!heavy(v)) {
    yield toJson(v) ?? 'null';
    return;
  }
  if (v instanceof LazyList || Array.isArray(v)) {
    yield* arrayChunks(v as Iterable<unknown>, Array.isArray(v));
    return;
  }
  yield '{';
  let first = true;
  for (const [k, x] of Object.entries(v as object)) {
    if (x === undefined || typeof x === 'function') continue;
    yield `${first ? '' : ','}${JSON.stringify(k)}:`;
    first = false;
    yield* jsonChunks(x);
  }
  yield '}';
}

function* arrayChunks(items: Iterable<unknown>, sliced: boolean): Generator<string> {
  yield '[';
  let first = true;
  if (sliced) {
    const a = items as unknown[];
    for (let i = 0; i < a.length; i += SLICE) {
      const part = a.slice(i, i + SLICE);
      if (heavy(part)) {
        for (const x of part) {
          yield first ? '' : ',';
          first = false;
          yield* jsonChunks(x === undefined ? null : x);
        }
      } else {
        yield (first ? '' : ',') + toJson(part).slice(1, -1);
        first = false;
      }
    }
  } else {
    for (const x of items) {
      yield first ? '' : ',';
      first = false;
      yield* jsonChunks(x === undefined ? null : x);
    }
  }
  yield ']';
}

const drained = (res: Response): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

/** Writes `value` as JSON while it is produced; a failure after the first byte cuts the connection. */
export async function sendJsonStream(res: Response, status: number, value: unknown, headers: Record<string, string> = {}): Promise<void> {
  res.status(status).set({ 'content-type': 'application/json; charset=utf-8', ...headers });
  let text = '';
  try {
    for (const chunk of jsonChunks(value)) {
      text += chunk;
      if (text.length < WRITE_AT) continue;
      const more = res.write(text);
      text = '';
      if (!more) await drained(res);
      if (res.destroyed) return;
    }
  } catch (e) {
    if (!res.headersSent) throw e;
    res.destroy(e as Error);
    return;
  }
  res.end(text);
}
