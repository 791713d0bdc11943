// A one-line logger: `info` to stdout, `warn`/`error` to stderr, nothing at all when quiet.

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export function createLogger(quiet = false): Logger {
  if (quiet) return { info: () => {}, warn: () => {}, error: () => {} };
  return {
    info: (m) => process.stdout.write(m + '\n'),
    warn: (m) => process.stderr.write('warning: ' + m + '\n'),
    error: (m) => process.stderr.write('error: ' + m + '\n'),
  };
}
