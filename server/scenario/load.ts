// Loads a scenario from YAML or JSON text or a file and checks it against a scenario schema (the
// registry's is bound in protocols/scenario.ts). Errors name the file, the path in the document
// (and line) and what was expected.

import fs from 'node:fs';
import YAML, { LineCounter } from 'yaml';
import type { z } from 'zod';
import { MockError, errorMessage } from '../errors';

export class ScenarioError extends MockError {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super('SCENARIO_INVALID', errorMessage('SCENARIO_INVALID', { source, problems }));
  }
}

export function loadScenarioFile<T>(file: string, schema: z.ZodType<T>): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError(file, [`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
  return parseScenario(text, file, schema);
}

export function parseScenario<T>(text: string, source: string, schema: z.ZodType<T>): T {
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { prettyErrors: true, lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : 'document';
    // The yaml library's first message line already ends with " at line L, column C:"; say it once.
    const what = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new ScenarioError(source, [`${where}: ${what}`]);
  }
  const value = toJs(doc, source);
  return validateScenario(value, source, schema, (path, key) => {
    let node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    // An unknown key is reported on its own line, not on the line where its mapping starts.
    if (key !== undefined && YAML.isMap(node)) node = node.items.find((p) => YAML.isScalar(p.key) && p.key.value === key)?.key ?? node;
    return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  });
}

/** True for a document with nothing in it: no bytes, only blanks, or only comments. */
export const isEmptyDocument = (text: string): boolean => text.trim() === '' || YAML.parseDocument(text).contents === null;

/** How many alias expansions (`*name`) a document may make in all: real scenarios make a few. */
export const MAX_YAML_ALIASES = 100;

function toJs(doc: YAML.Document, source: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) ?? {};
  } catch (e) {
    // The yaml library throws (a ReferenceError) on an alias bomb such as billion laughs.
    const what = /alias count/i.test((e as Error).message)
      ? `YAML aliases expand more than ${MAX_YAML_ALIASES} times in all (alias limit; an alias bomb such as "billion laughs" is refused, not expanded)`
      : (e as Error).message;
    throw new ScenarioError(source, [`document: ${what}`]);
  }
}

/** `['rules', 2, 'respond', 'status']` → `rules[2].respond.status`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(root)';
}

type Issue = z.core.$ZodIssue;

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : (JSON.stringify(v) ?? typeof v));

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
};

/** Messages in one form: "expected X, got Y". */
function message(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `expected at least ${issue.minimum} item(s)`
        : issue.origin === 'string'
          ? 'expected a non-empty string'
          : `expected a number ≥ ${issue.minimum}`;
    case 'too_big':
      return `expected a number ≤ ${issue.maximum}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (see docs/scenarios.md)`;
    default:
      return issue.message ?? 'invalid';
  }
}

function describe(issue: Issue): string {
  const got = (issue as { input?: unknown }).input;
  return issue.code === 'unrecognized_keys' ? issue.message : `${issue.message}, got ${kindOf(got)}`;
}

/**
 * A union (`respond`: one answer or a list) fails as a whole; report the branch that came closest:
 * the one whose problems are deepest in the document, i.e. the shape the author was writing.
 */
function flatten(issue: Issue): Issue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const depth = (list: Issue[]) => Math.max(...list.map((i) => i.path.length));
  const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0];
  return best.flatMap((sub) => flatten({ ...sub, path: [...issue.path, ...sub.path] }));
}

/**
 * Checks a parsed document against the scenario schema. Every problem names its path in the
 * document (and its line, for YAML/JSON text) and what was expected.
 */
export function validateScenario<T>(value: unknown, source: string, schema: z.ZodType<T>, lineOf?: (path: PropertyKey[], key?: string) => number | undefined): T {
  const r = schema.safeParse(value, { reportInput: true, error: (issue) => message(issue) });
  if (r.success) return r.data;
  const problems = r.error.issues.flatMap(flatten).map((issue) => {
    const line = lineOf?.(issue.path, issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined);
    return `${formatPath(issue.path)}${line ? ` (line ${line})` : ''}: ${describe(issue)}`;
  });
  throw new ScenarioError(source, problems);
}
