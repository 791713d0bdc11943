// Tests that a decompression bomb (300 MB of zeros, MSZIP, ~500 KB cabinet; see
// scripts/make-cab-fixtures.sh) is refused early and decoded only as far as needed.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { extractCabinetFile, readCabinetDirectory } from './index';

const BOMB = readFileSync(join(__dirname, '../../test/fixtures/cab/bomb-mszip.cab'));
const MiB = 1024 * 1024;
const rssGrowth = (run: () => void): number => {
  const before = process.memoryUsage().rss;
  run();
  return process.memoryUsage().rss - before;
};

describe('the 300 MB zero bomb', () => {
  let inflate: jest.SpyInstance;
  beforeEach(() => {
    inflate = jest.spyOn(zlib, 'inflateRawSync');
  });
  afterEach(() => inflate.mockRestore());

  it('declares 300000000 bytes in a cabinet under 600 KB', () => {
    expect(BOMB.length).toBeLessThan(600 * 1024);
    expect(readCabinetDirectory(BOMB).value!.files[0].size).toBe(300_000_000);
  });

  it('is refused with maxBytes 1 MiB before anything is inflated, memory flat', () => {
    let findings: { rule: string; level: string }[] = [];
    const growth = rssGrowth(() => {
      const r = extractCabinetFile(BOMB, { maxBytes: MiB });
      expect(r.value).toBeNull();
      findings = r.findings;
    });
    expect(findings).toEqual([expect.objectContaining({ rule: 'cab.limit-exceeded', level: 'error' })]);
    expect(inflate).not.toHaveBeenCalled();
    expect(growth).toBeLessThan(50 * MiB);
  });

  it('with cbFile patched down to 5 MiB, inflates only the 160 blocks it needs', () => {
    const lie = Buffer.from(BOMB);
    lie.writeUInt32LE(5 * MiB, lie.readUInt32LE(16)); // CFFILE 0 cbFile
    let out: Buffer | null = null;
    const growth = rssGrowth(() => {
      out = extractCabinetFile(lie, { maxBytes: 350_000_000 }).value;
    });
    expect(out!.length).toBe(5 * MiB);
    expect(out!.every((byte) => byte === 0)).toBe(true);
    expect(inflate).toHaveBeenCalledTimes((5 * MiB) / 32768);
    expect(growth).toBeLessThan(50 * MiB);
  });

  it('never asks zlib for more than one block of output at a time', () => {
    const lie = Buffer.from(BOMB);
    lie.writeUInt32LE(MiB, lie.readUInt32LE(16));
    extractCabinetFile(lie, { maxBytes: MiB });
    for (const [, opts] of inflate.mock.calls) expect(opts?.maxOutputLength).toBeLessThanOrEqual(32768);
  });
});
