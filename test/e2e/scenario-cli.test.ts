// Scenarios through the real CLI: --scenario FILE --watch reloads on change and keeps the
// running scenario on a bad edit; a bad --scenario stops start-up with the file, path and line.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AdminClient } from '../../server';
import { buildSqmSession } from '../../server/testing';
import { killAllClis, runCli, startCli } from '../helpers/cli';
import { rawPost, until } from '../helpers/raw-http';

const body = buildSqmSession();
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqm-scenario-cli-'));
});
afterAll(() => {
  killAllClis();
  fs.rmSync(dir, { recursive: true, force: true });
});

const uploadTo = async (base: string): Promise<number | undefined> => (await rawPost(`${base}/sqm/windows/sqmserver.dll`, body)).status;

describe('--watch', () => {
  it('follows a rewritten file, keeps the previous scenario on a bad edit, and takes a rename-save', async () => {
    const file = path.join(dir, 'watched.yaml');
    fs.writeFileSync(file, 'name: first\nrules:\n  - name: busy\n    respond: { status: 503 }\n');
    const cli = await startCli(['--port', '0', '--db', ':memory:', '--scenario', file, '--watch']);
    try {
      const base = cli.urls.main;
      expect(await uploadTo(base)).toBe(503);

      // 1. A different rule: uploads follow it once the change is seen.
      fs.writeFileSync(file, 'name: second\nrules:\n  - name: throttled\n    respond:\n      sqm: { fixedThrottle: true }\n');
      await until('uploads to get 403 from the rewritten file', async () => ((await uploadTo(base)) === 403 ? true : undefined));
      expect((await new AdminClient(base).scenario()).name).toBe('second');
      expect(cli.stdout()).toContain(`scenario reloaded from ${file} (1 rule)`);

      // 2. An invalid edit: a one-line warning naming the file and the path; the rule stays.
      fs.writeFileSync(file, 'name: broken\nrules:\n  - name: x\n    respond: { status: 1234 }\n');
      const warning = await until('the "not reloaded" warning', () =>
        cli
          .stderr()
          .split('\n')
          .find((l) => l.includes('not reloaded')),
      );
      expect(warning).toBe(`warning: scenario not reloaded, keeping the previous one: ${file}: rules[0].respond.status (line 4): expected a number ≤ 599, got 1234`);
      expect(await uploadTo(base)).toBe(403);
      expect((await new AdminClient(base).scenario()).name).toBe('second');

      // 3. An editor that saves by writing a temporary file and renaming it over the original.
      const tmp = path.join(dir, '.watched.yaml.swp');
      fs.writeFileSync(tmp, 'name: third\nrules:\n  - respond: { status: 202 }\n');
      fs.renameSync(tmp, file);
      await until('uploads to get 202 after a rename-save', async () => ((await uploadTo(base)) === 202 ? true : undefined));
      expect(await cli.stop()).toBe(0);
    } finally {
      cli.child.kill('SIGKILL');
    }
  });
});

describe('--watch and a file caught mid-save (issue 13 item 12)', () => {
  it('a truncated or half-written file keeps the running 503 rule and says why, naming the file; a valid one is applied', async () => {
    const file = path.join(dir, 'mid-save.yaml');
    fs.writeFileSync(file, 'name: busy\nrules:\n  - name: busy\n    respond: { status: 503 }\n');
    const cli = await startCli(['--port', '0', '--db', ':memory:', '--scenario', file, '--watch']);
    const refusals = () =>
      cli
        .stderr()
        .split('\n')
        .filter((l) => l.startsWith(`warning: scenario not reloaded, keeping the previous one: ${file}: `));
    try {
      const base = cli.urls.main;
      expect(await uploadTo(base)).toBe(503);

      // An editor that truncates, then writes: the empty file was loaded as {} and the 503 became 200.
      fs.truncateSync(file, 0);
      await until('the empty-file refusal', () => (refusals().length === 1 ? true : undefined));
      expect(refusals()[0]).toContain('the file is empty');
      expect(await uploadTo(base)).toBe(503);

      fs.writeFileSync(file, 'name: busy\nrules:\n  - name: busy\n    respond: { status: ');
      await until('the parse-error refusal', () => (refusals().length === 2 ? true : undefined));
      expect(await uploadTo(base)).toBe(503);
      expect((await new AdminClient(base).scenario()).name).toBe('busy');

      fs.writeFileSync(file, 'name: accepted\nrules:\n  - respond: { status: 202 }\n');
      await until('uploads to get 202', async () => ((await uploadTo(base)) === 202 ? true : undefined));
      expect(cli.stdout()).toContain(`scenario reloaded from ${file} (1 rule)`);
      expect(await cli.stop()).toBe(0);
    } finally {
      cli.child.kill('SIGKILL');
    }
  }, 30_000);
});

describe('a bad --scenario at start-up', () => {
  it.each<[string, string, string]>([
    ['an unknown key in a rule', 'name: x\nrules:\n  - name: a\n    respnd: { status: 503 }\n', 'rules[0] (line 4): unknown key "respnd" (did you mean "respond"?)'],
    [
      'a rule that can never match',
      'rules:\n  - name: crash-503\n    when: { protocol: cer, partner: windows }\n    respond: { status: 503 }\n',
      'rules[0].when.partner (line 3): rule "crash-503": this rule can never match: a cer request has no partner',
    ],
    [
      'answers that exclude each other',
      'rules:\n  - name: drop\n    respond: { status: 503, fault: reset }\n',
      'rules[0].respond.fault (line 3): rule "drop": fault reset sends no answer',
    ],
    ['an unknown top-level key', 'name: x\nrulez: []\n', '(root) (line 2): unknown key "rulez"'],
    [
      'an unknown fault',
      'rules:\n  - respond:\n      fault: explode\n',
      'rules[0].respond.fault (line 3): expected one of "reset", "close", "empty", "garbage", "truncate", "hang", got "explode"',
    ],
  ])('exits 2 naming the file, the path and the line: %s', async (_name, text, message) => {
    const file = path.join(dir, `bad-${Math.random().toString(36).slice(2)}.yaml`);
    fs.writeFileSync(file, text);
    const r = await runCli(['--scenario', file, '--port', '0', '--db', ':memory:']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`sqm-cer-mock: ${file}: ${message}`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).not.toContain('listening');
  });

  it('--watch without --scenario exits 2', async () => {
    const r = await runCli(['--watch', '--port', '0', '--db', ':memory:']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--watch needs --scenario FILE');
  });
});

describe('many pending answers at once', () => {
  it('50 concurrent delayed uploads and hanging ones print no warning on stderr', async () => {
    const file = path.join(dir, 'slow.yaml');
    fs.writeFileSync(file, 'rules:\n  - when: { partner: hang }\n    respond: { fault: hang }\n  - respond: { delayMs: 100 }\n');
    const cli = await startCli(['--port', '0', '--db', ':memory:', '--scenario', file]);
    try {
      const base = cli.urls.main;
      const hanging = Array.from({ length: 20 }, () => rawPost(`${base}/sqm/hang/sqmserver.dll`, body, { timeoutMs: 300 }));
      const statuses = await Promise.all(Array.from({ length: 50 }, () => uploadTo(base)));
      expect(statuses).toEqual(Array(50).fill(200));
      for (const h of await Promise.all(hanging)) expect(h.error?.code).toBe('CLIENT_TIMEOUT');
      expect(await cli.stop()).toBe(0);
      expect(cli.stderr()).toBe('');
    } finally {
      cli.child.kill('SIGKILL');
    }
  });
});
