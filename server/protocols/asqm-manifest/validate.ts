// Checks an authored manifest against AsqmManifestSchema; every problem names its path in the document
// (and its line, for YAML text) and what was expected, in the scenario loader's words ("expected X, got Y").

import YAML, { LineCounter } from 'yaml';
import type { z } from 'zod';
import { MockError } from '../../errors';
import { formatPath } from '../../scenario/load';
import { AsqmManifestSchema, type AsqmManifestSpec } from './schema';

/** An authored manifest that cannot be used: names the source and each problem's path. */
export class ManifestError extends MockError {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super('MANIFEST_INVALID', `${source}: ${problems.join('; ')}`);
  }
}

export type LineOf = (path: PropertyKey[]) => number | undefined;

/** YAML (or JSON) text → a value and a way to find a path's line; syntax errors are ManifestErrors. */
export function parseYamlText(text: string, source: string): { value: unknown; lineOf: LineOf } {
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { prettyErrors: true, lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : 'document';
    throw new ManifestError(source, [`${where}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`]);
  }
  const lineOf: LineOf = (path) => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };
  return { value: doc.toJS() ?? {}, lineOf };
}

type Issue = z.core.$ZodIssue;

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
};
const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : (JSON.stringify(v) ?? typeof v));

function message(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return issue.origin === 'array' ? `expected at least ${issue.minimum} item(s)` : `expected a number ≥ ${issue.minimum}`;
    case 'too_big':
      return `expected a number ≤ ${issue.maximum}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    default:
      return issue.message ?? 'invalid';
  }
}

/** A union (`value`: number or string) fails as a whole: report the branch whose problems go deepest. */
function flatten(issue: Issue): Issue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const depth = (list: Issue[]) => Math.max(...list.map((i) => i.path.length));
  const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0];
  return best.flatMap((sub) => flatten({ ...sub, path: [...issue.path, ...sub.path] }));
}

export interface ValidateOptions {
  source?: string;
  /** Where the manifest sits in the document (e.g. `['partners', 'windows', 'manifest']`). */
  prefix?: PropertyKey[];
  lineOf?: LineOf;
}

/**
 * Checks a parsed manifest (plain data) and returns it typed, or throws a ManifestError listing every
 * problem as `path (line N): expected X, got Y`.
 * @example validateManifestSpec({ version: 0 }) // throws "manifest: version: expected a version other than 0 …, got 0"
 */
export function validateManifestSpec(value: unknown, opts: ValidateOptions = {}): AsqmManifestSpec {
  const r = AsqmManifestSchema.safeParse(value, { reportInput: true, error: (issue) => message(issue) });
  if (r.success) return r.data;
  const prefix = opts.prefix ?? [];
  const problems = r.error.issues.flatMap(flatten).map((issue) => {
    const path = [...prefix, ...issue.path];
    const line = opts.lineOf?.(path);
    const got = issue.code === 'unrecognized_keys' ? '' : `, got ${kindOf((issue as { input?: unknown }).input)}`;
    return `${formatPath(path)}${line ? ` (line ${line})` : ''}: ${issue.message}${got}`;
  });
  throw new ManifestError(opts.source ?? 'manifest', problems);
}
