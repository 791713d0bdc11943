// The conformance report as JUnit XML, parsed back: one testsuite per protocol, counts that match
// the elements, one failure per violation or unmet expectation, special characters escaped.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ConformanceEntry, ConformanceReport } from './conformance';
import { toJunit } from './junit';

const entry = (rule: string, level: string, message = 'm'): ConformanceEntry => ({
  requestId: 2,
  protocol: 'x',
  level,
  rule,
  specRef: 'MS-X 1',
  message,
  kind: 'conversation',
  relatedRequestId: 1,
  clientKey: 'k',
});
const report: ConformanceReport = {
  rules: { 'sqm-v1': ['sqm-v1.throttle-ignored', 'sqm-v1.resent'], cer: ['cer.level2-missing'] },
  clients: [
    {
      clientKey: 'windows/{A}',
      protocol: 'sqm-v1',
      requests: 3,
      violations: [entry('sqm-v1.throttle-ignored', 'warning', 'came <1 day> & "early"'), entry('sqm-v1.resent', 'warning')],
      expectations: [],
    },
    { clientKey: 'windows/{B}', protocol: 'sqm-v1', requests: 1, violations: [], expectations: [] },
    { clientKey: '10.0.0.1', protocol: 'cer', requests: 1, violations: [], expectations: [entry('cer.level2-missing', 'expectation')] },
  ],
  summary: { checked: 5, violations: 2, requestFindings: 0, unmetExpectations: 1 },
};

const parsed = new XMLParser({ ignoreAttributes: false, isArray: (n) => ['testsuite', 'testcase', 'failure'].includes(n) }).parse(toJunit(report)) as {
  testsuites: {
    '@_tests': string;
    '@_failures': string;
    testsuite: {
      '@_name': string;
      '@_tests': string;
      '@_failures': string;
      '@_errors': string;
      '@_skipped': string;
      testcase: { '@_classname': string; '@_name': string; failure?: { '@_message': string; '@_type': string; '#text': string }[] }[];
    }[];
  };
};

/** The common JUnit schema, as element → [required attributes, allowed child elements]. */
const SCHEMA: Record<string, [string[], string[]]> = {
  testsuites: [[], ['testsuite']],
  testsuite: [['name', 'tests', 'failures', 'errors', 'skipped'], ['testcase']],
  testcase: [['classname', 'name'], ['failure']],
  failure: [['message', 'type'], []],
};
const COUNTS = ['tests', 'failures', 'errors', 'skipped'];

/** What in `node` (an element named `name`, as the parser gives it) breaks SCHEMA. */
function shapeProblems(name: string, node: Record<string, unknown>, at = name): string[] {
  const [required, children] = SCHEMA[name];
  const problems = required.filter((a) => typeof node[`@_${a}`] !== 'string').map((a) => `${at}: no ${a}`);
  problems.push(...COUNTS.filter((a) => node[`@_${a}`] !== undefined && !/^\d+$/.test(String(node[`@_${a}`]))).map((a) => `${at}: ${a} is no count`));
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') || key === '#text') continue;
    if (!children.includes(key)) problems.push(`${at}: unexpected <${key}>`);
    else (value as Record<string, unknown>[]).forEach((child, i) => problems.push(...shapeProblems(key, child, `${at} > ${key}[${i}]`)));
  }
  return problems;
}

it('is well-formed XML in the common JUnit shape: testsuites > testsuite > testcase > failure', () => {
  const xml = toJunit(report);
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  expect(Object.keys(parsed).filter((k) => k !== '?xml')).toEqual(['testsuites']);
  expect(shapeProblems('testsuites', parsed.testsuites as unknown as Record<string, unknown>)).toEqual([]);
  expect(parsed.testsuites.testsuite.flatMap((s) => s.testcase.flatMap((t) => t.failure ?? [])).map((f) => f['@_type'])).toEqual(['warning', 'warning', 'expectation']);
});

it('the shape check bites: a missing attribute, a bad count, an unknown element', () => {
  const broken = { testsuite: [{ '@_name': 'x', '@_tests': 'one', '@_failures': '0', '@_errors': '0', testcase: [{ '@_name': 'n', property: [{}] }] }] };
  expect(shapeProblems('testsuites', broken)).toEqual([
    'testsuites > testsuite[0]: no skipped',
    'testsuites > testsuite[0]: tests is no count',
    'testsuites > testsuite[0] > testcase[0]: no classname',
    'testsuites > testsuite[0] > testcase[0]: unexpected <property>',
  ]);
});

it('has one testsuite per protocol, named by the protocol', () => {
  expect(parsed.testsuites.testsuite.map((s) => s['@_name'])).toEqual(['sqm-v1', 'cer']);
});

it('counts tests and failures as the elements say, and failures = violations + unmet expectations', () => {
  let failures = 0;
  for (const s of parsed.testsuites.testsuite) {
    const f = s.testcase.flatMap((t) => t.failure ?? []).length;
    expect([Number(s['@_tests']), Number(s['@_failures']), s['@_errors'], s['@_skipped']]).toEqual([s.testcase.length, f, '0', '0']);
    for (const t of s.testcase) expect(t['@_classname'] && t['@_name']).toBeTruthy();
    failures += f;
  }
  expect(failures).toBe(report.summary.violations + report.summary.unmetExpectations);
  expect(Number(parsed.testsuites['@_failures'])).toBe(failures);
  expect(Number(parsed.testsuites['@_tests'])).toBe(5);
});

it('escapes what XML must escape, and names the level and rule', () => {
  const [first] = parsed.testsuites.testsuite[0].testcase[0].failure!;
  expect(first['@_type']).toBe('warning');
  expect(first['@_message']).toBe('sqm-v1.throttle-ignored (MS-X 1): came <1 day> & "early"');
  expect(toJunit(report)).toContain('came &lt;1 day&gt; &amp; &quot;early&quot;');
});
