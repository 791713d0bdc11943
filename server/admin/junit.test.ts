// The conformance report as JUnit XML, parsed back: one testsuite per protocol, counts that match
// the elements, one failure per violation or unmet expectation, special characters escaped.

import { XMLParser } from 'fast-xml-parser';
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
