// The conformance report as JUnit XML: one testsuite per protocol, one testcase per rule checked per
// client, one failure per conversation violation or unmet expectation of that rule and client.

import type { ConformanceClient, ConformanceReport } from './conformance';

// XML 1.0 2.2: control characters other than tab, LF and CR cannot appear at all; messages may carry a client's text.
// eslint-disable-next-line no-control-regex -- removing exactly those characters
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;
const esc = (s: string): string => s.replace(NOT_XML_CHAR, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function testcase(c: ConformanceClient, rule: string): { xml: string; failures: number } {
  const broken = [...c.violations, ...c.expectations].filter((e) => e.rule === rule);
  const failures = broken.map(
    (e) =>
      `      <failure type="${esc(e.level)}" message="${esc(`${e.rule} (${e.specRef}): ${e.message}`)}">request ${e.requestId}${e.relatedRequestId !== null && e.relatedRequestId !== e.requestId ? `, set up by request ${e.relatedRequestId}` : ''}: ${esc(e.message)}</failure>`,
  );
  const open = `    <testcase classname="${esc(c.protocol)}.${esc(c.clientKey)}" name="${esc(rule)}"`;
  return { xml: failures.length ? `${open}>\n${failures.join('\n')}\n    </testcase>` : `${open}/>`, failures: failures.length };
}

export function toJunit(report: ConformanceReport): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  const protocols = [...new Set([...Object.keys(report.rules), ...report.clients.map((c) => c.protocol)])];
  for (const protocol of protocols) {
    const rules = report.rules[protocol] ?? [];
    // A client's failures always have a test case, even for a rule its protocol does not list.
    const rulesOf = (c: ConformanceClient) => [...new Set([...rules, ...[...c.violations, ...c.expectations].map((e) => e.rule)])];
    const cases = report.clients.filter((c) => c.protocol === protocol).flatMap((c) => rulesOf(c).map((r) => testcase(c, r)));
    if (cases.length === 0 && rules.length === 0) continue;
    const f = cases.reduce((n, c) => n + c.failures, 0);
    tests += cases.length;
    failures += f;
    suites.push(
      `  <testsuite name="${esc(protocol)}" tests="${cases.length}" failures="${f}" errors="0" skipped="0">${cases.length ? '\n' + cases.map((c) => c.xml).join('\n') + '\n  ' : ''}</testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="sqm-cer-mock conformance" tests="${tests}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}
