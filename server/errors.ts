// Coded errors for configuration, scenario and start-up problems (never for wire bytes: those are
// findings), fastify-style: one table of codes, each a one-line message template and a description.
// Raise them with `throw ERR.BAD_FLAG({ … })`; the message is meant for the user as it is.

export class MockError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MockError';
  }
}

export const isMockError = (e: unknown): e is MockError => e instanceof MockError;

/** "<subject>: expected <expected>, got <got> (<hint>)", the usual refusal. `got` is shown as given. */
export interface Expected {
  subject?: string;
  expected: string;
  got?: string;
  hint?: string;
}
/** A refusal that is no expected-vs-got, said as it is: "<subject>: <said> (<hint>)". */
export interface Said {
  subject?: string;
  said: string;
  hint?: string;
}
/** Two settings that only work together: "<a> and <b> go together: give both or neither". */
export interface Together {
  together: readonly [string, string];
}
/** A setting that needs another: "<flag> needs <needs>: <why>". */
export interface Needs {
  flag: string;
  needs: string;
  why: string;
}
/** A document that failed validation: "<source>: <problem>; <problem>…". */
export interface Invalid {
  source: string;
  problems: readonly string[];
}

/** `"value"`, for `got`. */
export const quote = (s: string): string => `"${s}"`;

/** The OS's short reason for a failed file operation (`ENOENT`), else the message. */
export const osReason = (e: unknown): string => (e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message ?? String(e);

function problem(p: Expected | Said | Together | Needs): string {
  if ('together' in p) return `${p.together[0]} and ${p.together[1]} go together: give both or neither`;
  if ('needs' in p) return `${p.flag} needs ${p.needs}: ${p.why}`;
  const head = p.subject === undefined ? '' : `${p.subject}: `;
  const body = 'said' in p ? p.said : `expected ${p.expected}${p.got === undefined ? '' : `, got ${p.got}`}`;
  return `${head}${body}${p.hint === undefined ? '' : ` (${p.hint})`}`;
}

const invalid = (p: Invalid): string => `${p.source}: ${p.problems.join('; ')}`;

interface ErrorSpec {
  readonly description: string;
  readonly message: (params: never) => string;
}

/** Every code a MockError may carry: what it means, and its message from typed parameters. */
export const ERRORS = {
  BAD_FLAG: {
    description: 'a command-line flag or argument is unknown, empty, malformed or out of range',
    message: (p: Expected | Said | Together) => problem(p),
  },
  BAD_OPTION: {
    description: 'server options that cannot work (checked for the CLI and the programmatic API alike)',
    message: (p: Expected | Needs | Together) => problem(p),
  },
  BAD_QUERY: {
    description: 'an admin API query parameter has a bad value (answered with 400)',
    message: (p: Expected) => problem(p),
  },
  BAD_FILE: {
    description: 'a file named on the command line cannot be read or written',
    message: (p: { action: 'read' | 'write'; file: string; reason: string }) => `cannot ${p.action} ${p.file}: ${p.reason}`,
  },
  TLS_FILE: {
    description: 'a PEM file (TLS certificate or key, upstream CA) cannot be read',
    message: (p: { flag: string; file: string; reason: string }) => `${p.flag} ${p.file}: ${p.reason}`,
  },
  BAD_FOLDER: {
    description: 'a folder named by a flag (--fileshare) is a file or lies under one',
    message: (p: { flag: string; dir: string; reason: string }) => `${p.flag} ${p.dir}: ${p.reason}`,
  },
  LISTEN: {
    description: 'a listener cannot bind its address and port',
    message: (p: { role: string; host: string; port: number; reason: string }) => `${p.role} listener on ${p.host}:${p.port}: ${p.reason}`,
  },
  STORE_MIGRATIONS: {
    description: 'the db/migrations folder is not where the package puts it',
    message: (p: { near: string }) => `db/migrations not found near ${p.near}`,
  },
  STORE_OPEN: {
    description: 'the SQLite capture store (--db) cannot be opened',
    message: (p: { file: string; reason: string }) => `--db ${p.file}: ${p.reason}`,
  },
  SCENARIO_INVALID: {
    description: 'a scenario (file, option or PUT /__admin/scenario) is unreadable or fails validation',
    message: invalid,
  },
  MANIFEST_INVALID: {
    description: 'an authored A-SQM manifest is unreadable or fails validation',
    message: invalid,
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;
export type ErrorParams<C extends ErrorCode> = Parameters<(typeof ERRORS)[C]['message']>[0];

/** The message of `code` for `params`. */
export function errorMessage<C extends ErrorCode>(code: C, params: ErrorParams<C>): string {
  return (ERRORS[code].message as (p: ErrorParams<C>) => string)(params);
}

/**
 * One raiser per code.
 * @example throw ERR.BAD_FLAG({ subject: '--port', expected: 'a port number 0..65535', got: quote(s) });
 */
export const ERR = Object.fromEntries((Object.keys(ERRORS) as ErrorCode[]).map((code) => [code, (params: never) => new MockError(code, errorMessage(code, params))])) as {
  readonly [C in ErrorCode]: (params: ErrorParams<C>) => MockError;
};
