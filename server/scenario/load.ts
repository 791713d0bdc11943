// Loads a scenario from YAML or JSON text or a file, and checks the keys the running
// protocols use. Errors name the file, the path in the document and what was expected.

import fs from 'node:fs';
import YAML from 'yaml';
import { MockError } from '../errors';
import { PROTOCOLS, type Scenario } from './types';

export class ScenarioError extends MockError {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super('SCENARIO_INVALID', `${source}: ${problems.join('; ')}`);
  }
}

export function loadScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError(file, [`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
  return parseScenario(text, file);
}

export function parseScenario(text: string, source = 'scenario'): Scenario {
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : 'document';
    // The yaml library's first message line already ends with " at line L, column C:"; say it once.
    const what = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new ScenarioError(source, [`${where}: ${what}`]);
  }
  const value: unknown = doc.toJS() ?? {};
  return validateScenario(value, source);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isUint = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff;

export function validateScenario(value: unknown, source = 'scenario'): Scenario {
  const problems: string[] = [];
  const bad = (path: string, expected: string, got: unknown) =>
    problems.push(`${path}: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}`);
  if (!isObject(value)) {
    throw new ScenarioError(source, [`(root): expected a mapping, got ${JSON.stringify(value)}`]);
  }
  if (value.strictness !== undefined && value.strictness !== 'strict' && value.strictness !== 'lenient') {
    bad('strictness', '"strict" or "lenient"', value.strictness);
  }
  if (value.partners !== undefined) {
    if (!isObject(value.partners)) bad('partners', 'a mapping of partner names', value.partners);
    else {
      for (const [name, p] of Object.entries(value.partners)) {
        const at = `partners.${name}`;
        if (p === null) continue;
        if (!isObject(p)) { bad(at, 'a mapping', p); continue; }
        if (p.maxUploadBytes !== undefined && !(Number.isInteger(p.maxUploadBytes) && (p.maxUploadBytes as number) > 0))
          bad(`${at}.maxUploadBytes`, 'a positive integer', p.maxUploadBytes);
        if (p.manifest !== undefined) {
          const version = isObject(p.manifest) ? p.manifest.version : undefined;
          if (!isUint(version) || version === 0 || version === 0x00ffffff)
            bad(`${at}.manifest.version`, 'an integer 1..0xFFFFFFFF other than 0x00FFFFFF (MS-SQMCS 2.2.6.3)', version);
        }
      }
    }
  }
  if (value.rules !== undefined) {
    if (!Array.isArray(value.rules)) bad('rules', 'a list', value.rules);
    else value.rules.forEach((r, i) => checkRule(r, `rules[${i}]`, bad));
  }
  if (problems.length) throw new ScenarioError(source, problems);
  return value as Scenario;
}

function checkRule(r: unknown, at: string, bad: (path: string, expected: string, got: unknown) => void): void {
  if (!isObject(r)) return bad(at, 'a mapping', r);
  if (r.name !== undefined && typeof r.name !== 'string') bad(`${at}.name`, 'a string', r.name);
  if (r.times !== undefined && !(Number.isInteger(r.times) && (r.times as number) > 0)) bad(`${at}.times`, 'a positive integer', r.times);
  if (r.when !== undefined) {
    if (!isObject(r.when)) bad(`${at}.when`, 'a mapping', r.when);
    else {
      if (r.when.protocol !== undefined && !PROTOCOLS.includes(r.when.protocol as never))
        bad(`${at}.when.protocol`, `one of ${PROTOCOLS.join(', ')}`, r.when.protocol);
      // The engine compares these as strings (method.toUpperCase(), path patterns): a number here
      // would throw on every request, or never match.
      for (const k of ['partner', 'method', 'path'] as const) {
        if (r.when[k] !== undefined && typeof r.when[k] !== 'string') bad(`${at}.when.${k}`, 'a string', r.when[k]);
      }
    }
  }
  if (r.respond === undefined) return;
  if (!isObject(r.respond)) return bad(`${at}.respond`, 'a mapping', r.respond);
  const s = r.respond.status;
  if (s !== undefined && !(Number.isInteger(s) && (s as number) >= 100 && (s as number) <= 599)) bad(`${at}.respond.status`, 'an HTTP status 100..599', s);
  if (r.respond.body !== undefined && typeof r.respond.body !== 'string') bad(`${at}.respond.body`, 'a string', r.respond.body);
  if (r.respond.headers !== undefined && !isObject(r.respond.headers)) bad(`${at}.respond.headers`, 'a mapping of header names to strings', r.respond.headers);
  const sqm = r.respond.sqm;
  if (sqm === undefined) return;
  if (!isObject(sqm)) return bad(`${at}.respond.sqm`, 'a mapping', sqm);
  for (const k of ['throttleInterval', 'manifestVersion'] as const) {
    if (sqm[k] !== undefined && !isUint(sqm[k])) bad(`${at}.respond.sqm.${k}`, 'a non-negative integer', sqm[k]);
  }
  if (sqm.fixedThrottle !== undefined && typeof sqm.fixedThrottle !== 'boolean') bad(`${at}.respond.sqm.fixedThrottle`, 'true or false', sqm.fixedThrottle);
}
