// The finding-rule tables together: every specRef names a section that exists in the document text,
// rule codes are unique across tables, and every rule code written anywhere in server/ has an entry.

import fs from 'node:fs';
import path from 'node:path';
import { CAB_RULES } from './cab/rules';
import { SQM_V1_RULES } from './codecs/sqm-session/rules';
import { SQM_V2_MESSAGE_RULES } from './codecs/sqm-v2-message/rules';
import { REQUIRED_ARGS, TPXS_REQUEST, type ElementSpec as TpxsElement } from './codecs/sqm-v2-message/tpxs-schema';
import { ASQM_RULES } from './protocols/asqm-manifest/rules';
import { CEIP_RULES } from './protocols/ceip/rules';
import { CER_RULES } from './protocols/cer/rules';
import { WERREPORT, type ElementSpec as WerElement } from './protocols/cer/wer-schema';
import { RELAY_RULES } from './protocols/relay/rules';
import { SQM_V1_ROUTE_RULES } from './protocols/sqm-v1/rules';
import { SQM_V2_RULES } from './protocols/sqm-v2/rules';
import { UPSTREAM_RULES } from './upstream/rules';
import type { FindingRuleSpec } from './wire/rule-table';

/** Each table and the folder whose sources emit through it (their `section:` overrides). */
const TABLES: [string, string, Readonly<Record<string, FindingRuleSpec>>][] = [
  ['codecs/sqm-session', 'SQM_V1_RULES', SQM_V1_RULES],
  ['codecs/sqm-v2-message', 'SQM_V2_MESSAGE_RULES', SQM_V2_MESSAGE_RULES],
  ['cab', 'CAB_RULES', CAB_RULES],
  ['protocols/asqm-manifest', 'ASQM_RULES', ASQM_RULES],
  ['protocols/ceip', 'CEIP_RULES', CEIP_RULES],
  ['protocols/cer', 'CER_RULES', CER_RULES],
  ['protocols/relay', 'RELAY_RULES', RELAY_RULES],
  ['protocols/sqm-v1', 'SQM_V1_ROUTE_RULES', SQM_V1_ROUTE_RULES],
  ['protocols/sqm-v2', 'SQM_V2_RULES', SQM_V2_RULES],
  ['upstream', 'UPSTREAM_RULES', UPSTREAM_RULES],
];
const ENTRIES = TABLES.flatMap(([dir, name, table]) => Object.entries(table).map(([rule, spec]) => ({ dir, name, rule, spec })));

const SPECS_DIR = process.env.SPECS_DIR ?? '/work/shared/specs';
/** [MS-CAB] is not among the texts; it names structures, not numbered sections (MSZIP: its blocks).
 * [MS-NLMP] is not among them either: the sections CER's authentication rules cite (checked by hand);
 * nor are the HTTP RFCs the upstream leg's rules cite (RFC 9112 8 incomplete messages, RFC 9110 15.6.3 502, 15.6.5 504). */
const EXTERNAL: Record<string, readonly string[]> = {
  'MS-CAB': ['CFHEADER', 'CFFOLDER', 'CFFILE', 'CFDATA', 'MSZIP'],
  'MS-NLMP': ['1.3.1.1', '2.2.1', '2.2.1.1', '2.2.1.2', '2.2.1.3', '3.2.5.1.1', '3.2.5.1.2', '3.3.2'],
  'RFC 9110': ['15.6.3', '15.6.5'],
  'RFC 9112': ['8'],
};

/** Section numbers of one document, from its headings (and table of contents): "2.2.1.3 Element Types". */
function sectionsOf(doc: string): Set<string> | undefined {
  if (EXTERNAL[doc]) return new Set(EXTERNAL[doc]);
  const file = path.join(SPECS_DIR, `${doc}.txt`);
  if (!fs.existsSync(file)) return undefined;
  const heading = /^[#*\s]*(\d+(?:\.\d+)*)\s+\**[A-Za-z]/;
  return new Set(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((l) => heading.exec(l)?.[1] ?? []),
  );
}
const sections = new Map<string, Set<string> | undefined>();
const cited = (specRef: string): boolean => {
  const m = /^(RFC \d+|\S+) (\S+)$/.exec(specRef);
  if (!m) return false;
  const [, doc, section] = m;
  if (!sections.has(doc)) sections.set(doc, sectionsOf(doc));
  return sections.get(doc)?.has(section) === true;
};

/** Non-test TypeScript sources under server/. */
const sources = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
const SOURCES = sources(__dirname).map((f) => ({ rel: path.relative(__dirname, f).split(path.sep).join('/'), text: fs.readFileSync(f, 'utf8') }));
const PREFIXES = [...new Set(ENTRIES.map((e) => e.rule.split('.')[0]))];
const CODE = new RegExp(`['"\`]((?:${PREFIXES.join('|')})\\.[a-z0-9-]+)['"\`]`, 'g');
const codesIn = (text: string): string[] => [...text.matchAll(CODE)].map((m) => m[1]);
const isTable = (rel: string): boolean => rel.endsWith('/rules.ts');

const haveTexts = fs.existsSync(SPECS_DIR);
if (!haveTexts) console.warn(`no spec texts at ${SPECS_DIR}: the section checks are skipped (set SPECS_DIR)`);
const itWithTexts = haveTexts ? it : it.skip;

describe('finding rule tables', () => {
  itWithTexts.each(ENTRIES.map((e) => [e.rule, e.spec.specRef]))('%s cites %s, a section of the document', (_rule, specRef) => {
    expect(cited(specRef)).toBe(true);
  });

  itWithTexts('schema elements and required args cite sections that exist (findings cite them via at.specRef)', () => {
    const refs: string[] = [];
    const wer = (e: WerElement): void => {
      refs.push(e.specRef);
      e.children.forEach(wer);
    };
    const tpxs = (specs: Record<string, TpxsElement>): void => {
      for (const e of Object.values(specs)) {
        refs.push(e.specRef);
        tpxs(e.children ?? {});
      }
    };
    wer(WERREPORT);
    tpxs(TPXS_REQUEST);
    refs.push(...Object.values(REQUIRED_ARGS).map((a) => a.specRef));
    expect(refs.filter((r) => !cited(r))).toEqual([]);
  });

  itWithTexts("section overrides (`section: …`) name sections of their table's document", () => {
    const bad: string[] = [];
    for (const { rel, text } of SOURCES) {
      const table = TABLES.find(([dir]) => rel.startsWith(`${dir}/`));
      for (const m of text.matchAll(/\bsection: '([^']+)'/g)) {
        const doc = Object.values(table?.[2] ?? {})[0]?.specRef.split(' ')[0];
        if (!doc || !cited(`${doc} ${m[1]}`)) bad.push(`${rel}: ${m[1]}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('gives each rule code one entry across all tables', () => {
    const seen = new Map<string, string[]>();
    for (const e of ENTRIES) seen.set(e.rule, [...(seen.get(e.rule) ?? []), e.name]);
    expect([...seen].filter(([, names]) => names.length > 1)).toEqual([]);
  });

  it('has an entry for every rule code written in a server/ source (handlers included)', () => {
    const known = new Set(ENTRIES.map((e) => e.rule));
    const missing = SOURCES.filter((s) => !isTable(s.rel)).flatMap(({ rel, text }) =>
      codesIn(text)
        .filter((c) => !known.has(c))
        .map((c) => `${rel}: ${c}`),
    );
    expect([...new Set(missing)]).toEqual([]);
  });

  it('has no entry that no source emits', () => {
    const used = new Set(SOURCES.filter((s) => !isTable(s.rel)).flatMap((s) => codesIn(s.text)));
    expect(ENTRIES.map((e) => e.rule).filter((r) => !used.has(r))).toEqual([]);
  });

  it('declares levels and specRefs of the expected shape', () => {
    for (const e of ENTRIES) {
      expect(['error', 'warning', 'info']).toContain(e.spec.level);
      expect(e.spec.specRef).toMatch(/^(?:MS-[A-Z0-9]+|RFC \d+) [A-Z0-9.]+$/);
    }
  });
});
