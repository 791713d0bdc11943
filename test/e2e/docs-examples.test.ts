// Runs every shell example of README.md and docs/*.md against a live mock (the built CLI) and
// compares the output it shows (`# → …` lines) with what it prints; checks that every link between
// the pages lands on a heading. Conventions: docs/development.md, "The examples in these pages".

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, killAllClis, startCli, type RunningCli } from '../helpers/cli';
import { blockScript, fencedBlocks, headingAnchor, isNoRun, isShell, linePattern, missingLine, segments, splitOutput, type DocBlock } from '../helpers/doc-examples';

const root = path.resolve(__dirname, '../..');
const pages = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).map((f) => `docs/${f}`)].filter((f) => f.endsWith('.md')).sort();
const blocksOf = (page: string) => fencedBlocks(page, fs.readFileSync(path.join(root, page), 'utf8'));
const all = pages.flatMap(blocksOf);
const shell = all.filter(isShell);
const name = (b: DocBlock) => `${b.file}:${b.line}`;

/** The mocks a page's examples talk to, as environment variables. */
async function startFor(page: string, dir: string): Promise<{ env: Record<string, string>; clis: RunningCli[] }> {
  const base = ['--db', ':memory:', '--quiet', '--fileshare', path.join(dir, 'fileshare')];
  if (page === 'docs/ceip-relay.md') {
    const upstream = await startCli(['--port', '0', ...base.slice(0, 3), '--fileshare', path.join(dir, 'fileshare-b')]);
    const relay = await startCli(['--port', '0', '--relay-port', '0', '--upstream', upstream.urls.main, ...base], ['main', 'relay']);
    return { env: { MOCK: relay.urls.main, RELAY: relay.urls.relay, UPSTREAM: upstream.urls.main }, clis: [relay, upstream] };
  }
  const mock = await startCli(['--port', '0', '--cer-port', '0', ...base], ['main', 'cer']);
  return { env: { MOCK: mock.urls.main, CER: mock.urls.cer }, clis: [mock] };
}

/** A folder with the checkout's files the examples name, and `sqm-cer-mock` on PATH. */
function workFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-examples-'));
  for (const f of ['test', 'scenarios', 'schema', 'samples', 'dist', 'db', 'node_modules', 'package.json']) {
    if (fs.existsSync(path.join(root, f))) fs.symlinkSync(path.join(root, f), path.join(dir, f));
  }
  fs.mkdirSync(path.join(dir, '.bin'));
  fs.writeFileSync(path.join(dir, '.bin', 'sqm-cer-mock'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
  return dir;
}

describe('the shell examples of the docs', () => {
  it('are sh or bash blocks (console, shell and zsh are not run, so they are not used)', () => {
    expect(shell.filter((b) => !['sh', 'bash'].includes(b.lang)).map(name)).toEqual([]);
  });

  const runnable = shell.filter((b) => !isNoRun(b));
  const notRun = shell.filter(isNoRun);
  it(`are ${runnable.length} run and ${notRun.length} marked no-run: ${notRun.map(name).join(', ')}`, () => {
    expect(runnable.length).toBeGreaterThanOrEqual(20);
    expect(runnable.length + notRun.length).toBe(shell.length);
  });

  const withRunnable = pages.filter((p) => runnable.some((b) => b.file === p));
  describe.each(withRunnable)('%s', (page) => {
    let dir: string;
    let env: Record<string, string>;
    let clis: RunningCli[] = [];
    beforeAll(async () => {
      dir = workFolder();
      ({ env, clis } = await startFor(page, dir));
    });
    afterAll(async () => {
      await Promise.all(clis.map((c) => c.stop()));
      killAllClis();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it.each(runnable.filter((b) => b.file === page).map((b) => [name(b), b] as const))(
      '%s',
      (_n, block) => {
        const segs = segments(block.body);
        const shellPath = block.lang === 'bash' ? 'bash' : '/bin/sh';
        const r = spawnSync(shellPath, ['-c', blockScript(block.lang, segs)], {
          cwd: dir,
          env: { ...process.env, ...env, PATH: `${path.join(dir, '.bin')}:${process.env.PATH}` },
          encoding: 'utf8',
          timeout: 40_000,
        });
        const printed = splitOutput(r.stdout);
        segs.forEach((s, i) => {
          if (s.expected.length === 0) return;
          const got = printed.get(i);
          if (got === undefined) throw new Error(`${name(block)}: stopped before "${s.code.at(-1)}" (status ${r.status}); it printed:\n${r.stdout}`);
          const missing = missingLine(s.expected, got);
          if (missing !== null) throw new Error(`${name(block)}: after "${s.code.at(-1)}" the shown line\n  ${missing}\nis not in what it printed:\n${got}`);
        });
        if (r.status !== 0) throw new Error(`${name(block)}: exit status ${r.status ?? r.signal}; it printed:\n${r.stdout}`);
      },
      60_000,
    );
  });
});

describe('the links between the pages', () => {
  const files = [...pages, 'bench/README.md'];
  const anchors = new Map<string, Set<string>>();
  for (const f of files) {
    const text = fs.readFileSync(path.join(root, f), 'utf8');
    const outside = text.replace(/^\s*```[\s\S]*?^\s*```\s*$/gm, '');
    const set = new Set([...outside.matchAll(/^#{1,6} (.*)$/gm)].map((m) => headingAnchor(m[1])));
    for (const m of outside.matchAll(/<a id="([^"]+)">/g)) set.add(m[1]);
    anchors.set(f, set);
  }
  const links = files.flatMap((f) => {
    const text = fs.readFileSync(path.join(root, f), 'utf8').replace(/^\s*```[\s\S]*?^\s*```\s*$/gm, '');
    return [...text.matchAll(/\]\(([^)\s]+)\)/g)].filter((m) => !/^[a-z]+:/.test(m[1])).map((m) => [f, m[1]] as const);
  });
  it('there are links', () => expect(links.length).toBeGreaterThan(50));
  it.each(links)('%s → %s', (from, target) => {
    const [file, anchor] = target.split('#');
    const to = file ? path.normalize(path.join(path.dirname(from), file)) : from;
    expect(fs.existsSync(path.join(root, to))).toBe(true);
    if (anchor) expect([...(anchors.get(to) ?? [])]).toContain(anchor);
  });
});

describe('the example conventions (test/helpers/doc-examples.ts)', () => {
  it('splits a block into commands and their shown output, joining continued lines', () => {
    const body = ['a=1', 'echo "$a"', '# → 1', '# plain comment', 'echo \'{"x":1,"y":2}\'', '# → {"x":1,', '# →   "y":2}', 'true'];
    expect(segments(body)).toEqual([
      { code: ['a=1', 'echo "$a"'], expected: ['1'] },
      { code: ['# plain comment', 'echo \'{"x":1,"y":2}\''], expected: ['{"x":1,"y":2}'] },
      { code: ['true'], expected: [] },
    ]);
  });
  it.each([
    ['the shown lines in order, others between', ['a', 'c'], 'a\nb\nc\n', null],
    ['a line out of order', ['c', 'a'], 'a\nb\nc\n', 'a'],
    ['… for any text', ['id: …, ok'], 'id: 17, ok\r\n', null],
    ['the whole line, not a part', ['id'], 'id: 17\n', 'id'],
    ['a missing line', ['x'], '', 'x'],
  ])('missingLine: %s', (_n, shown, printed, missing) => expect(missingLine(shown, printed)).toBe(missing));
  it('reads fences, indented ones too, with their info string', () => {
    const md = 'x\n```sh no-run\nnpm ci\n```\n- item\n\n  ```bash\n  echo hi\n  ```\n';
    expect(fencedBlocks('f.md', md).map((b) => [b.line, b.lang, b.info, b.body])).toEqual([
      [2, 'sh', 'no-run', ['npm ci']],
      [7, 'bash', '', ['echo hi']],
    ]);
  });
  it('runs a script that marks each segment, and splits what it printed by them', () => {
    const segs = segments(['echo one', '# → one', 'printf two', '# → two']);
    const r = spawnSync('/bin/sh', ['-c', blockScript('sh', segs)], { encoding: 'utf8' });
    expect([...splitOutput(r.stdout)]).toEqual([
      [0, 'one\n'],
      [1, 'two'],
    ]);
    expect(linePattern('a…b').test('a-x-b')).toBe(true);
    expect(headingAnchor('Builders (`sqm-cer-mock/testing`)')).toBe('builders-sqm-cer-mocktesting');
  });
});
