// The CER fileshare copy (MS-CER2 3.2.5 step 1): files land under the fileshare root at a path
// built only from sanitized parts, and the resolved path is checked to stay inside the root.

import fs from 'node:fs';
import path from 'node:path';

/** Writes `bytes` at root/segments…; returns the path relative to the root, or throws. */
export function writeFileshare(root: string, segments: string[], bytes: Buffer): string {
  const base = path.resolve(root);
  const target = path.resolve(base, ...segments);
  // Defence in depth: the segments are sanitized already; never write outside the root anyway.
  if (!target.startsWith(base + path.sep)) throw new Error(`refused to write outside the fileshare: ${segments.join('/')}`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, bytes);
  return path.relative(base, target).split(path.sep).join('/');
}
