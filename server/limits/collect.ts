// Collects garbage after large request bodies have left memory. V8 counts a Buffer's memory outside
// its heap and collects it late: without this, 50 uploads of 20 MiB handled one after another still
// reached 530–680 MiB of RSS, with it under 400 MiB (bench/README.md, "memory").

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Released body bytes after which a full collection is asked for. */
export const COLLECT_AFTER_BYTES = 32 * 2 ** 20;

let gcFunction: (() => void) | null | undefined;

/** The engine's gc(), made reachable once (the --expose-gc flag set at run time); null if refused. */
function engineGc(): (() => void) | null {
  if (gcFunction === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gcFunction = runInNewContext('gc') as () => void;
    } catch {
      gcFunction = null;
    }
  }
  return gcFunction;
}

/** Counts released body bytes; every COLLECT_AFTER_BYTES, one full collection. */
export class BodyCollector {
  private released = 0;
  constructor(private readonly afterBytes = COLLECT_AFTER_BYTES) {}

  /** Counts `bytes` given back; past the threshold, collects once the current turn is done (after the answer is sent). */
  add(bytes: number): void {
    this.released += bytes;
    if (this.released < this.afterBytes) return;
    this.released = 0;
    const gc = engineGc();
    if (gc) setImmediate(gc);
  }
}
