// The logger of a server instance: `info` and events to stdout, `warn`/`error` to stderr, as text
// lines or one JSON object per line (--log-format json), nothing at all when quiet. The activity log
// (issue 14 item 5: a line per request, scenario changes, resets) is null when off, so callers build
// nothing then; its request lines are written in batches, one write per turn of the event loop.

export type LogFormat = 'text' | 'json';

/** One protocol request, once its answer is decided and captured. */
export interface RequestLogEntry {
  listener: string;
  method: string;
  /** The request-target as sent. */
  path: string;
  protocol: string;
  /** The status stored with the capture; -1 when none was sent (a fault, or the client left before the body ended). */
  status: number;
  /** The scenario's fault (`reset`, `hang`, …), or null. */
  fault: string | null;
  rule: string | null;
  findings: number;
  /** From the first byte read to the capture committed (the scenario's delay not included). */
  ms: number;
  requestId: number;
}

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  /** A named event with fields: json → `{time, event, …fields}`; text → `text`. */
  event(event: string, fields: Record<string, unknown>, text: string): void;
  /** Request lines, scenario changes and resets; null when off. */
  readonly activity: ActivityLog | null;
  /** Writes the request lines still waiting (before exit). */
  flush(): void;
}

export interface ActivityLog {
  request(entry: RequestLogEntry): void;
  /** Like Logger.event. */
  event(event: string, fields: Record<string, unknown>, text: string): void;
}

export interface LoggerOptions {
  quiet?: boolean;
  format?: LogFormat;
  /** The activity log on (the CLI's default unless quiet); off for the programmatic API unless asked. */
  activity?: boolean;
}

/** A token safe in a space-separated text line: as it is when plain, else JSON-quoted. */
const token = (s: string): string => (/^[\x21-\x7e]+$/.test(s) && !s.includes('"') ? s : JSON.stringify(s));

/** `2026-12-02T02:41:33.123Z main POST /sqm/windows/sqmserver.dll sqm-v1 200 rule=- findings=0 3ms #12` */
export function requestText(time: string, e: RequestLogEntry): string {
  const rule = e.rule === null ? '-' : token(e.rule);
  const fault = e.fault === null ? '' : ` fault=${e.fault}`;
  return `${time} ${e.listener} ${e.method} ${token(e.path)} ${e.protocol} ${e.status}${fault} rule=${rule} findings=${e.findings} ${e.ms.toFixed(1)}ms #${e.requestId}`;
}

export function requestJson(time: string, e: RequestLogEntry): string {
  return JSON.stringify({ time, event: 'request', ...e, ms: Math.round(e.ms * 10) / 10 });
}

const NONE: Logger = { info: () => {}, warn: () => {}, error: () => {}, event: () => {}, activity: null, flush: () => {} };

export function createLogger({ quiet = false, format = 'text', activity = false }: LoggerOptions = {}): Logger {
  if (quiet) return NONE;
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    const out = pending;
    pending = '';
    process.stdout.write(out);
  };
  const now = () => new Date().toISOString();
  // Anything written at once first lets the batched request lines out, so stdout stays in order.
  const out = (line: string) => {
    flush();
    process.stdout.write(line + '\n');
  };
  const json = format === 'json';
  const message = (level: string, msg: string) => JSON.stringify({ time: now(), event: 'message', level, message: msg });
  const line = json ? requestJson : requestText;
  const event = (name: string, fields: Record<string, unknown>, text: string) => out(json ? JSON.stringify({ time: now(), event: name, ...fields }) : text);
  const request = (e: RequestLogEntry) => {
    pending += line(now(), e) + '\n';
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return {
    info: (m) => out(json ? message('info', m) : m),
    warn: (m) => process.stderr.write((json ? message('warning', m) : 'warning: ' + m) + '\n'),
    error: (m) => process.stderr.write((json ? message('error', m) : 'error: ' + m) + '\n'),
    event,
    activity: activity ? { request, event } : null,
    flush,
  };
}
