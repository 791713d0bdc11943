// Issue 13 items 3, 4 and 6 through a real server: a level-2 PUT whose capture fails gets 503 and its
// retry 200 (the claim released, not `409 duplicate`); a full fileshare (a 1 MiB tmpfs, mounted when
// running as root, skipped with a warning otherwise) gives 503 and leaves no 0-byte or partial cab;
// the temps of copies a killed run left are removed at start; a link planted at the first
// report's predictable path (the uuid stream is seeded) is refused and its target unchanged.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as source from '../../server';
import { buildCabinet, buildWerReport } from '../../server/testing';
import { send } from '../helpers/http';
import { mountTmpfs, unmountTmpfs } from '../helpers/tmpfs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cer-fileshare-e2e-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const cab = buildCabinet([{ name: 'memory.hdmp', data: Buffer.alloc(300 << 10, 7) }]);
/** Every file under `dir`, relative (links listed, not followed). */
const tree = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();

async function withMock(fileshare: string, run: (mock: source.MockServer) => Promise<void>): Promise<void> {
  const mock = await source.startMockServer({ port: 0, db: ':memory:', fileshare, quiet: true });
  try {
    await run(mock);
  } finally {
    await mock.close();
  }
}
/** A level-1 report answered: its DumpFile as a request path. */
async function level1(mock: source.MockServer): Promise<{ status: number; put: string; text: string }> {
  const r = await send(`${mock.url}/stage2.htm`, { body: buildWerReport() });
  const dumpFile = /DumpFile=([^\r\n]+)/.exec(r.text)?.[1] ?? '';
  return { status: r.status, put: dumpFile.replace(/\\/g, '/'), text: r.text };
}
const put = (mock: source.MockServer, p: string, body = cab) => send(`${mock.url}${p}`, { method: 'PUT', body });

describe('cer fileshare e2e', () => {
  it('a level-2 PUT whose capture fails → 503, and the retry → 200 (the claim released), stored once', async () => {
    const share = path.join(tmp, 'capture-fails');
    await withMock(share, async (mock) => {
      const { put: p } = await level1(mock);
      jest.spyOn(mock.context.store, 'capture').mockRejectedValueOnce(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
      const failed = await put(mock, p);
      expect(failed.status).toBe(503);
      expect(failed.text).toMatch(/^capture store failed \(/);
      // Nothing of the failed PUT is left on the fileshare (its copy was removed with the claim).
      expect(tree(share).filter((f) => f.endsWith('.cab'))).toEqual([]);
      const retry = await put(mock, p);
      expect(retry.status).toBe(200);
      const reports = await mock.client.cerReports();
      expect(reports[0].level2).toMatchObject({ size: cab.length });
      expect(fs.readFileSync(path.join(share, p.slice(1)))).toEqual(cab);
    });
  });

  it('temps of copies a killed run left are removed at start; copies and other files stay', async () => {
    const share = path.join(tmp, 'orphans');
    const dir = path.join(share, 'PersistedCabs', 'APPCRASH', '100');
    fs.mkdirSync(dir, { recursive: true });
    const orphan = `.e6ac5534-d07e-43a8-9ade-32e1bdcdf403.cab.${2 ** 22 + 17}.0123456789abcdef.tmp`;
    for (const f of [orphan, 'e6ac5534-d07e-43a8-9ade-32e1bdcdf403.xml', 'notes.tmp']) fs.writeFileSync(path.join(dir, f), 'partial');
    await withMock(share, () => {
      expect(fs.readdirSync(dir).sort()).toEqual(['e6ac5534-d07e-43a8-9ade-32e1bdcdf403.xml', 'notes.tmp']);
      return Promise.resolve();
    });
  });

  it('a file link planted at the first report’s predictable path is refused (503), its target unchanged; a folder link leads nothing outside', async () => {
    const learn = path.join(tmp, 'learn');
    let first = '';
    await withMock(learn, async (mock) => {
      first = (await level1(mock)).put.replace(/\.cab$/, '.xml');
    });
    const share = path.join(tmp, 'planted');
    const outside = path.join(tmp, 'outside');
    fs.mkdirSync(outside);
    const victim = path.join(outside, 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    fs.mkdirSync(path.dirname(path.join(share, first)), { recursive: true });
    fs.symlinkSync(victim, path.join(share, first));
    await withMock(share, async (mock) => {
      const r = await level1(mock);
      expect(r.status).toBe(503);
      expect(r.text).toMatch(/^cer\.fileshare-failed \(MS-CER2 3\.2\.5\): .*symbolic link/);
    });
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');

    const share2 = path.join(tmp, 'planted-folder');
    fs.mkdirSync(share2);
    fs.symlinkSync(outside, path.join(share2, 'PersistedCabs'));
    await withMock(share2, async (mock) => {
      expect((await level1(mock)).status).toBe(503);
    });
    expect(fs.readdirSync(outside)).toEqual(['victim.txt']);
  });
});

const mnt = mountTmpfs('cer-share-full-', '1m', 'cer-fileshare: the full-fileshare test');
afterAll(() => unmountTmpfs(mnt));

(mnt ? it : it.skip)('a full fileshare: the level-2 PUT gets 503 cer.fileshare-failed, no 0-byte or partial cab, no temp; the retry once space is back → 200', async () => {
  const fill = path.join(mnt!, 'fill');
  await withMock(mnt!, async (mock) => {
    const { put: p } = await level1(mock);
    try {
      fs.writeFileSync(fill, Buffer.alloc(2 << 20));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
    }
    const full = await put(mock, p);
    expect(full.status).toBe(503);
    expect(full.text).toMatch(/^cer\.fileshare-failed \(MS-CER2 3\.2\.5\): the fileshare copy of the cabinet failed \(ENOSPC on write\)/);
    expect(tree(mnt!).filter((f) => f !== 'fill' && !f.endsWith('.xml'))).toEqual([]);
    fs.unlinkSync(fill);
    expect((await put(mock, p)).status).toBe(200);
    expect(fs.readFileSync(path.join(mnt!, p.slice(1)))).toEqual(cab);
  });
});
