// Holds the layout's rules (STYLE.md): pure layers import no HTTP, no store; only store/ imports
// better-sqlite3; protocols do not import each other (SQM v2 payloads are v1 sessions: allowed);
// the public builders import only pure layers, and shipped code never imports test/.

import fs from 'node:fs';
import path from 'node:path';

const root = __dirname;
const sources = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.startsWith('test-') ? [p] : [];
  });
const importsOf = (file: string): string[] =>
  [...fs.readFileSync(file, 'utf8').matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
const rel = (f: string) => path.relative(root, f);
const all = sources(root);

describe('layering', () => {
  const pure = all.filter((f) => /^(wire|cab|scenario|codecs)\//.test(rel(f)) || /^protocols\/[^/]+\/(codec|types|header|sections|strings|stream|framing|tpxs|tpxs-schema|response|tokens|required|names|rules|section-head|werreport|wer-schema|wer-xml|cer-encoding|answer|signature|dump-path)\.ts$/.test(rel(f)));
  it.each(pure.map((f) => [rel(f)]))('%s imports no express, store or node:http', (f) => {
    const bad = importsOf(path.join(root, f)).filter((i) => /^(express|better-sqlite3|multer|node:https?|node:net)$/.test(i) || /\/store(\/|$)/.test(i));
    expect(bad).toEqual([]);
  });
  it('only store/ imports better-sqlite3', () => {
    const users = all.filter((f) => importsOf(f).includes('better-sqlite3')).map(rel);
    expect(users.every((f) => f.startsWith('store/'))).toBe(true);
  });
  it('protocols import no other protocol (except SQM v2 → SQM v1, and the relay, which rewrites both)', () => {
    const bad: string[] = [];
    for (const f of all.filter((x) => rel(x).startsWith('protocols/'))) {
      const own = rel(f).split('/')[1];
      for (const i of importsOf(f)) {
        const m = /^\.\.\/([a-z0-9-]+)\//.exec(i);
        // SQM v2 payloads are v1 sessions; the relay rewrites both and answers like the CEIP redirect.
        const allowed = (own === 'sqm-v2' && m?.[1] === 'sqm-v1') || (own === 'relay' && ['sqm-v1', 'sqm-v2', 'ceip'].includes(m?.[1] ?? ''));
        if (m && m[1] !== own && !allowed && fs.existsSync(path.join(root, 'protocols', m[1]))) bad.push(`${rel(f)} → ${i}`);
      }
    }
    expect(bad).toEqual([]);
  });
  it('the public builders (testing/) import only the pure layers (wire/, codecs/, cab/) and node built-ins', () => {
    const bad = all.filter((f) => rel(f).startsWith('testing/'))
      .flatMap((f) => importsOf(f).filter((i) => !/^(node:|\.\/|\.\.\/(wire|codecs|cab)(\/|$))/.test(i)).map((i) => `${rel(f)} → ${i}`));
    expect(bad).toEqual([]);
  });
  it('shipped code imports nothing from test/', () => {
    const bad = all.flatMap((f) => importsOf(f).filter((i) => path.resolve(path.dirname(f), i).startsWith(path.resolve(root, '..', 'test') + path.sep)).map((i) => `${rel(f)} → ${i}`));
    expect(bad).toEqual([]);
  });
  it('no module-level singletons of the server: nothing but start.ts creates a Store or an engine', () => {
    const creators = all.filter((f) => /new ScenarioEngine\(|Store\.open\(/.test(fs.readFileSync(f, 'utf8'))).map(rel);
    expect(creators).toEqual(['start.ts']);
  });
});
