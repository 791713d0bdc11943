// CER through the real CLI (dist/server/cli.js): the --cer-port listener, HTTPS on it with
// --tls-cert/--tls-key (MS-CER2 1.7, 3.2.3), and buckets and DumpFiles that stay valid across a
// restart on the same --db file (with the worker-thread writer file stores use).

import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { AdminClient } from '../../server';
import { killAllClis, startCli } from '../helpers/cli';
import { postReport, putCab, slashed } from '../helpers/cer';
import { fixture } from '../helpers/fixtures';
import { itWithOpenssl, selfSignedCert } from '../helpers/tls';

const example = (n: string) => fixture('cer', `werreport-${n}.xml`);
const helloCab = fixture('cab', 'hello-mszip.cab');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cer-cli-'));
});
afterAll(() => {
  killAllClis();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('buckets and issued DumpFiles survive a restart on the same --db', async () => {
  const db = path.join(dir, 'restart', 'capture.sqlite');
  const args = ['--port', '0', '--cer-port', '0', '--db', db, '--fileshare', path.join(dir, 'restart', 'fileshare'), '--quiet'];
  const first = await startCli(args, ['main', 'cer']);
  const a = await postReport(first.urls.cer, example('4.1'));
  const b = await postReport(first.urls.cer, example('4.3'));
  expect([a.answer.Bucket, b.answer.Bucket]).toEqual(['100', '101']);
  expect(await first.stop()).toBe(0);

  const second = await startCli(args, ['main', 'cer']);
  try {
    const c = await postReport(second.urls.cer, example('4.3'));
    const d = await postReport(second.urls.cer, example('4.4'));
    const e = await postReport(second.urls.cer, example('4.2'));
    expect([c.status, d.status, e.status]).toEqual([200, 200, 200]);
    expect([c.answer.Bucket, d.answer.Bucket, e.answer.Bucket]).toEqual(['101', '102', '100']);
    // The seeded uuid stream starts again with the process; the new DumpFiles are still new.
    expect(new Set([a, b, c, d, e].map((r) => r.answer.DumpFile)).size).toBe(5);
    // A DumpFile issued before the restart still takes its cabinet.
    expect((await putCab(second.urls.cer, slashed(a.answer.DumpFile), helloCab)).status).toBe(200);
    const client = new AdminClient(second.urls.main);
    expect((await client.cerBuckets()).map((x) => [x.bucket, x.hits])).toEqual([
      [100, 2],
      [101, 2],
      [102, 1],
    ]);
    const reports = await client.cerReports();
    expect(reports).toHaveLength(5);
    expect(reports[0].level2?.files).toEqual([{ name: 'hello.txt', size: 77 }]);
  } finally {
    expect(await second.stop()).toBe(0);
  }
});

it('the CER listener serves no admin API', async () => {
  const cli = await startCli(['--port', '0', '--cer-port', '0', '--db', ':memory:', '--fileshare', path.join(dir, 'no-admin'), '--quiet'], ['main', 'cer']);
  try {
    const r = await postReport(cli.urls.cer, Buffer.alloc(0), { path: '/__admin/health' });
    expect(r.status).toBe(404);
  } finally {
    expect(await cli.stop()).toBe(0);
  }
});

itWithOpenssl('the CER HTTPS test')('serves CER over HTTPS on --cer-port with --tls-cert/--tls-key', async () => {
  const { key, cert, ca } = selfSignedCert(dir);
  const cli = await startCli(
    ['--port', '0', '--cer-port', '0', '--db', ':memory:', '--fileshare', path.join(dir, 'tls-share'), '--tls-cert', cert, '--tls-key', key],
    ['main', 'cer'],
  );
  try {
    expect(cli.urls.cer).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(cli.urls.main).toMatch(/^https:\/\//);
    const l1 = await postReport(cli.urls.cer, example('4.1'), { ca });
    expect(l1.status).toBe(200);
    expect(l1.headers['content-type']).toBe('text/plain; charset=windows-1252');
    expect(l1.answer).toMatchObject({ Bucket: '100', iData: '1' });
    const put = await putCab(cli.urls.cer, slashed(l1.answer.DumpFile), helloCab, { ca });
    expect(put.status).toBe(200);
    // Plain HTTP on the TLS port gets no CER answer.
    await expect(postReport(cli.urls.cer.replace('https:', 'http:'), example('4.1'))).rejects.toThrow();
    const reports = await new Promise<{ reports: { requestId: number; level2: { requestId: number } | null }[] }>((resolve, reject) => {
      https
        .get(`${cli.urls.main}/__admin/cer/reports`, { ca }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve(JSON.parse(text)));
        })
        .on('error', reject);
    });
    expect(reports.reports).toMatchObject([{ requestId: l1.requestId, level2: { requestId: put.requestId } }]);
  } finally {
    expect(await cli.stop()).toBe(0);
  }
});
