// The layout's rules (STYLE.md), checked on the real import graph read by the TypeScript compiler
// (every import form, type-only too; test/helpers/import-graph.ts), with a self-test proving each rule bites.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { anyOf, buildGraph, evaluate, formatViolation, not, topFolderOf, under } from '../test/helpers/import-graph';
import type { Match, Rule, Target } from '../test/helpers/import-graph';

/** Files inside server/protocols/<name>/ whose names mark them as codec or data files: pure, like wire/.
 * ('escalation-rule' is asqm-manifest/escalation-rule.ts, the MS-SQMCS 2.2.6.5 rule-section codec that codec.ts and authoring.ts use.) */
const PROTOCOL_DATA_NAMES =
  'codec|escalation-rule|types|header|sections|strings|stream|framing|tpxs|tpxs-schema|response|tokens|required|names|rules|section-head|werreport|wer-schema|wer-xml|cer-encoding|answer|signature|dump-path|schema|authoring|property-set|dates|to-yaml|validate';
const protocolOf = (f: string) => /^server\/protocols\/([^/]+)\//.exec(f)?.[1];
const isProtocolData: Match = (f) => new RegExp(`^server/protocols/[^/]+/(${PROTOCOL_DATA_NAMES})\\.ts$`).test(f);
const isRootFile: Match = (f) => /^server\/[^/]+\.ts$/.test(f);
const PURE = anyOf(under('server/wire/', 'server/cab/', 'server/codecs/', 'server/scenario/'), isProtocolData);
const IO_PACKAGES = ['express', 'multer', 'better-sqlite3', 'node:http', 'node:https', 'node:net', 'http', 'https', 'net'];
/** Anything under server/protocols/, except, for a protocol's data file, its own protocol's data files. */
const protocolCode: Target = (to, from) => to.startsWith('server/protocols/') && !(isProtocolData(from) && isProtocolData(to) && protocolOf(from) === protocolOf(to));
const anotherProtocol: Target = (to, from) => protocolOf(to) !== undefined && protocolOf(to) !== protocolOf(from);

/** The rules, by folder. Product graph: every .ts under server/ but *.test.ts and server/testing/. */
const PRODUCT_RULES: Rule[] = [
  {
    id: 'pure',
    says: 'wire/, cab/, codecs/, scenario/ and protocol data files import no I/O package, store, http, admin, faults, other protocol code, app or start',
    files: PURE,
    mayNotImport: [...IO_PACKAGES, 'server/store/', 'server/http/', 'server/admin/', 'server/faults/', protocolCode, 'server/app.ts', 'server/start.ts'],
  },
  {
    id: 'sqlite',
    says: 'only store/ imports better-sqlite3',
    files: not(under('server/store/')),
    mayNotImport: ['better-sqlite3'],
  },
  {
    id: 'protocol-isolation',
    says: 'no protocols/<a>/ file imports protocols/<b>/ (files directly in protocols/, like the registry, may)',
    files: (f) => protocolOf(f) !== undefined,
    mayNotImport: [anotherProtocol],
  },
  {
    id: 'net',
    says: 'only faults/, http/ and root files import node:net',
    files: not(anyOf(under('server/faults/', 'server/http/'), isRootFile)),
    mayNotImport: ['node:net', 'net'],
  },
  {
    id: 'socket',
    says: 'only faults/, http/ and root files touch a socket (`.socket`)',
    files: not(anyOf(under('server/faults/', 'server/http/'), isRootFile)),
    mayNotContain: /\.socket\b/,
  },
  {
    id: 'singletons',
    says: 'nothing but start.ts creates a Store or a ScenarioEngine',
    files: not(under('server/start.ts')),
    mayNotContain: /Store\.open\(|new ScenarioEngine\(/,
  },
  {
    id: 'test-code',
    says: 'product code imports nothing from test/',
    files: () => true,
    mayNotImport: ['test/'],
  },
  { id: 'file-cycle', says: 'no cycles between files (type-only edges count)', noCycles: (f) => f },
  { id: 'folder-cycle', says: 'no cycles between top-level folders of server/ (root files are their own nodes)', noCycles: topFolderOf('server') },
];
/** server/testing/ (public builders) is outside the product graph, but must stay free of the server. */
const TESTING_RULES: Rule[] = [
  {
    id: 'testing',
    says: 'testing/ imports no store, http, admin or express',
    files: under('server/testing/'),
    mayNotImport: ['server/store/', 'server/http/', 'server/admin/', 'express'],
  },
];

/** Violations on the tree today. The test fails on any other violation, and when one of these disappears. */
// Empty since the protocol-module restructuring removed the last ones; a new violation fails, and so would a stale entry.
const KNOWN_VIOLATIONS: [violation: string, reason: string][] = [];

/** Every violation of every rule in the tree under `base` (a project folder holding server/), as text. */
function check(base: string): string[] {
  const product = evaluate(buildGraph(base, 'server', under('server/testing/')), PRODUCT_RULES);
  const testing = evaluate(buildGraph(base, 'server/testing'), TESTING_RULES);
  return [...product, ...testing].map(formatViolation);
}

const BASE = path.resolve(__dirname, '..');
const RULE_IDS = [...PRODUCT_RULES, ...TESTING_RULES].map((r) => [r.id, r.says]);

describe('the real import graph', () => {
  const found = check(BASE);
  const known = KNOWN_VIOLATIONS.map(([v]) => v);
  const ofRule = (id: string) => (v: string) => v.startsWith(`${id}: `);

  it('sees every module and resolves every relative import', () => {
    const graph = buildGraph(BASE, 'server');
    expect(graph.files).toContain('server/start.ts');
    expect(graph.edges.length).toBeGreaterThan(graph.files.length);
    expect(graph.unresolved.map((e) => `${e.from}:${e.line} ${e.specifier}`)).toEqual([]);
  });
  it.each(RULE_IDS)('%s: %s — no new violations', (id) => {
    expect(found.filter(ofRule(id)).filter((v) => !known.includes(v))).toEqual([]);
  });
  it.each(RULE_IDS)('%s: %s — every known violation is still there (else drop it from KNOWN_VIOLATIONS)', (id) => {
    expect(known.filter(ofRule(id)).filter((v) => !found.includes(v))).toEqual([]);
  });
  it('KNOWN_VIOLATIONS names each violation once, under a rule that exists, with a reason', () => {
    expect(new Set(known).size).toBe(known.length);
    expect(known.filter((v) => !RULE_IDS.some(([id]) => ofRule(id)(v)))).toEqual([]);
    expect(KNOWN_VIOLATIONS.filter(([, reason]) => reason.trim() === '')).toEqual([]);
  });
});

/** Injections into a copy of the real tree: [what, { file: code appended (or a new file) }, violation expected]. */
const INJECTIONS: [string, Record<string, string>, string][] = [
  ['(1) cab/ re-exports node:http', { 'server/cab/checksum.ts': "export { createServer } from 'node:http';" }, 'pure: server/cab/checksum.ts → node:http'],
  ['(2) a codec requires express', { 'server/codecs/sqm-session/codec.ts': "const e = require('express');" }, 'pure: server/codecs/sqm-session/codec.ts → express'],
  ['(3) a new file in wire/ imports express', { 'server/wire/new-helper.ts': "import express from 'express';" }, 'pure: server/wire/new-helper.ts → express'],
  [
    '(4) a CER validator imports the store',
    { 'server/protocols/cer/wer-schema.ts': "import { Store } from '../../store';" },
    'pure: server/protocols/cer/wer-schema.ts → server/store/index.ts',
  ],
  [
    '(4b) a codec type-imports the store',
    { 'server/codecs/sqm-v2-message/tpxs.ts': "import type { Store } from '../../store';" },
    'pure: server/codecs/sqm-v2-message/tpxs.ts → server/store/index.ts',
  ],
  [
    'a two-file cycle',
    { 'server/wire/cycle-a.ts': "import './cycle-b';", 'server/wire/cycle-b.ts': "export * from './cycle-a';" },
    'file-cycle: server/wire/cycle-a.ts → server/wire/cycle-b.ts → server/wire/cycle-a.ts',
  ],
  [
    'a folder cycle (wire/ ↔ codecs/)',
    { 'server/wire/session.ts': "export type { SqmSession } from '../codecs/sqm-session/types';" },
    'folder-cycle: server/codecs/ → server/wire/ → server/codecs/',
  ],
  ['a dynamic import of node:net', { 'server/scenario/match.ts': "export const later = () => import('node:net');" }, 'net: server/scenario/match.ts → node:net'],
  ['typeof import() of app.ts', { 'server/cab/types.ts': "export type App = typeof import('../app');" }, 'pure: server/cab/types.ts → server/app.ts'],
  ['better-sqlite3 outside store/', { 'server/admin/json.ts': "import type Database from 'better-sqlite3';" }, 'sqlite: server/admin/json.ts → better-sqlite3'],
  [
    'one protocol re-exports another',
    { 'server/protocols/ceip/partner.ts': "export * from '../cer/types';" },
    'protocol-isolation: server/protocols/ceip/partner.ts → server/protocols/cer/types.ts',
  ],
  ['a socket touched outside faults/', { 'server/upstream/forward.ts': 'export const peek = (r: { socket: unknown }) => r.socket;' }, 'socket: server/upstream/forward.ts'],
  ['a Store opened outside start.ts', { 'server/admin/router.ts': "const store = Store.open(':memory:');" }, 'singletons: server/admin/router.ts'],
  ['testing/ imports express', { 'server/testing/sqm-session.ts': "import express = require('express');" }, 'testing: server/testing/sqm-session.ts → express'],
];

describe('the rules catch…', () => {
  let tmp: string;
  /** A copy of the real server/ tree (its .ts files), with `files` appended to or created. */
  const copyWith = (files: Record<string, string>): string => {
    const dir = fs.mkdtempSync(path.join(tmp, 'case-'));
    const onlyTs = (src: string) => fs.statSync(src).isDirectory() || src.endsWith('.ts');
    fs.cpSync(path.join(BASE, 'server'), path.join(dir, 'server'), { recursive: true, filter: onlyTs });
    for (const [file, code] of Object.entries(files)) fs.appendFileSync(path.join(dir, file), `\n${code}\n`);
    return dir;
  };
  let clean: string[];
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'architecture-'));
    clean = check(copyWith({}));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('nothing on a clean copy but what the real tree reports', () => {
    expect(clean).toEqual(check(BASE));
  });
  it.each(INJECTIONS)('%s', (_, files, expected) => {
    expect(clean).not.toContain(expected);
    expect(check(copyWith(files))).toContain(expected);
  });
});
