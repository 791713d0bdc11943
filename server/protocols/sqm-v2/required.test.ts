// Required args (MS-SQMCS2 2.2.2.7, 2.2.2.9, 2.2.2.14, 2.2.2.16.2, 2.2.2.16.3): each one missing is
// a `sqm-v2.missing-arg` warning naming where and which; the handler refuses the req in strict mode.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingArgs } from './required';
import { buildV2Xml, DEFAULT_CTRL, DEFAULT_OS, type BuildV2 } from '../../testing/sqm-v2-message';
import { parseTpxs } from '../../codecs/sqm-v2-message/tpxs';
import type { TpxsRequest } from '../../codecs/sqm-v2-message/types';

const msg = (o: BuildV2): TpxsRequest => {
  const { value, findings } = parseTpxs(Buffer.from(buildV2Xml(o)));
  if (!value) throw new Error(JSON.stringify(findings));
  return value;
};
const without = <T extends Record<string, unknown>>(o: T, k: string): Record<string, string | number> => {
  const copy: Record<string, unknown> = { ...o };
  delete copy[k];
  return copy as Record<string, string | number>;
};
const upload = { tm: '129579283005582927', token: '3.x.y', size: 10, offset: 0 };
const summary = (m: ReturnType<typeof missingArgs>) => m.map((x) => [x.where, x.arg, x.finding.specRef]);

describe('machine level (req = null)', () => {
  it("nothing missing in the builder's defaults", () => {
    expect(missingArgs(msg({ reqs: [{ key: '1', cmd: 'requpload' }] }), null)).toEqual([]);
  });

  it.each(['vermaj', 'vermin', 'verbld', 'versp'])('<os> without %s', (nm) => {
    const m = missingArgs(msg({ reqs: [{ key: '1', cmd: 'requpload' }], os: without(DEFAULT_OS, nm) }), null);
    expect(summary(m)).toEqual([['<os>', nm, 'MS-SQMCS2 2.2.2.7']]);
    expect(m[0].finding).toMatchObject({ rule: 'sqm-v2.missing-arg', level: 'warning' });
    expect(m[0].finding.message).toContain(`"${nm}"`);
  });

  it.each(['mid', 'sample', 'tm'])('<mach><ctrl> without %s', (nm) => {
    const m = missingArgs(msg({ reqs: [{ key: '1', cmd: 'requpload' }], ctrl: without(DEFAULT_CTRL, nm) }), null);
    expect(summary(m)).toEqual([['<mach><ctrl>', nm, 'MS-SQMCS2 2.2.2.9']]);
  });

  it('every missing arg is listed, os first', () => {
    const m = missingArgs(msg({ reqs: [{ key: '1', cmd: 'requpload' }], os: { arch: 9 }, ctrl: { mid: '{x}' } }), null);
    expect(m.map((x) => x.arg)).toEqual([
      ...['vermaj', 'vermin', 'verbld', 'versp', 'csdbld', 'sku', 'ntprodtype', 'platid', 'prodsuite', 'geoid', 'lcid', 'osinsty', 'ram', 'tmsi'],
      ...['sample', 'tm', 'scf', 'test', 'msft'],
    ]);
  });

  // MS-SQMCS2 2.2.2.7 and 2.2.2.9 require these too; recorded, never refused (soft).
  it.each(['csdbld', 'sku', 'arch', 'ntprodtype', 'platid', 'prodsuite', 'geoid', 'lcid'])('<os> without %s: a warning, never refused', (nm) => {
    const m = missingArgs(msg({ reqs: [{ key: '1', cmd: 'requpload' }], os: without(DEFAULT_OS, nm) }), null);
    expect(m.map((x) => [x.arg, x.finding.level, x.finding.specRef, x.soft])).toEqual([[nm, 'warning', 'MS-SQMCS2 2.2.2.7', true]]);
  });

  it.each<[string, 'os' | 'ctrl', string]>([
    ['osinsty', 'os', 'MS-SQMCS2 2.2.2.7'],
    ['ram', 'os', 'MS-SQMCS2 2.2.2.7'],
    ['tmsi', 'os', 'MS-SQMCS2 2.2.2.7'],
    ['scf', 'ctrl', 'MS-SQMCS2 2.2.2.9'],
    ['test', 'ctrl', 'MS-SQMCS2 2.2.2.9'],
    ['msft', 'ctrl', 'MS-SQMCS2 2.2.2.9'],
  ])('without %s, which a section 4 example omits too: info', (nm, where, specRef) => {
    const o = where === 'os' ? { os: without(DEFAULT_OS, nm) } : { ctrl: without(DEFAULT_CTRL, nm) };
    const m = missingArgs(msg({ reqs: [{ key: '1', cmd: 'requpload' }], ...o }), null);
    expect(m.map((x) => [x.arg, x.finding.level, x.finding.specRef, x.soft])).toEqual([[nm, 'info', specRef, true]]);
  });
});

describe('per req', () => {
  it('requpload has no required args (2.2.2.16.1)', () => {
    const m = msg({ reqs: [{ key: '1', cmd: 'requpload', ctrl: {} }] });
    expect(missingArgs(m, m.reqs[0])).toEqual([]);
  });

  it('a complete dataupload has none missing', () => {
    const m = msg({ reqs: [{ key: '1', cmd: 'dataupload', cmdArgs: upload }] });
    expect(missingArgs(m, m.reqs[0])).toEqual([]);
  });

  it.each(['tm', 'token', 'size', 'offset'])('dataupload without %s', (nm) => {
    const m = msg({ reqs: [{ key: 'k7', cmd: 'dataupload', cmdArgs: without(upload, nm) }] });
    const missing = missingArgs(m, m.reqs[0]);
    expect(summary(missing)).toEqual([['<req key="k7"> <cmd nm="dataupload">', nm, 'MS-SQMCS2 2.2.2.16.2']]);
    expect(missing[0].finding.message).toContain(`"${nm}"`);
  });

  it.each(['startutc', 'endutc'])('dataupload whose <ctrl> has no %s (2.2.2.14)', (nm) => {
    const ctrl = without({ startutc: '129579263664570000', endutc: '129579283005426872' }, nm);
    const m = msg({ reqs: [{ key: '1', cmd: 'dataupload', cmdArgs: upload, ctrl }] });
    expect(summary(missingArgs(m, m.reqs[0]))).toEqual([['<req key="1"> <ctrl>', nm, 'MS-SQMCS2 2.2.2.14']]);
  });

  it('qryrsrc without name', () => {
    const m = msg({ reqs: [{ key: '1', cmd: 'qryrsrc' }] });
    expect(summary(missingArgs(m, m.reqs[0]))).toEqual([['<req key="1"> <cmd nm="qryrsrc">', 'name', 'MS-SQMCS2 2.2.2.16.3']]);
  });

  it('only the req asked about is checked', () => {
    const m = msg({
      reqs: [
        { key: '1', cmd: 'qryrsrc' },
        { key: '2', cmd: 'qryrsrc', cmdArgs: { name: 'manifest' } },
      ],
    });
    expect(missingArgs(m, m.reqs[1])).toEqual([]);
    expect(missingArgs(m, m.reqs[0])).toHaveLength(1);
  });
});

describe("the document's own examples", () => {
  const fixture = (name: string): TpxsRequest => parseTpxs(readFileSync(join(__dirname, '../../../test/fixtures/sqm-v2', name))).value!;

  it.each<[string, string[]]>([
    ['qryrsrc-4.1.xml', ['osinsty', 'ram', 'tmsi', 'scf', 'test', 'msft']],
    ['requpload-4.2.xml', ['ram', 'scf', 'test', 'msft']],
    ['dataupload-4.3.xml', ['ram', 'scf', 'test', 'msft']],
  ])('%s lacks no machine-level arg but those the examples omit (info, never refused)', (name, omitted) => {
    const m = missingArgs(fixture(name), null);
    expect(m.map((x) => x.arg)).toEqual(omitted);
    expect(m.every((x) => x.finding.level === 'info' && x.soft)).toBe(true);
  });

  it('4.1 and 4.2 have every per-req arg', () => {
    for (const m of [fixture('qryrsrc-4.1.xml'), fixture('requpload-4.2.xml')]) for (const r of m.reqs) expect(missingArgs(m, r)).toEqual([]);
  });

  it('4.3 leaves out startutc/endutc, which 2.2.2.14 requires for dataupload', () => {
    const m = fixture('dataupload-4.3.xml');
    for (const r of m.reqs)
      expect(missingArgs(m, r).map((x) => [x.arg, x.finding.level])).toEqual([
        ['startutc', 'info'],
        ['endutc', 'info'],
      ]);
  });
});
