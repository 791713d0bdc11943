// Fixtures shared by tests.

import fs from 'node:fs';
import path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '../fixtures');
export const fixture = (...p: string[]): Buffer => fs.readFileSync(path.join(FIXTURES, ...p));
/** The MS-SQMCS 4.1 capture: a real Windows 7 SP1 upload, 1078 bytes. */
export const win7Capture = (): Buffer => fixture('sqm-v1', 'win7-sp1-capture.bin');
