// Command line (run by cli.ts, the bin): parse flags, start, print `listening <role> <url>` per listener, serve until
// SIGINT/SIGTERM, then shut down cleanly. Errors are one line and a non-zero exit, never a stack.

import fs from 'node:fs';
import path from 'node:path';
import { parseCliArgs, USAGE } from './cli-args';
import { DEFAULTS } from './config';
import { withEnvFlags } from './env-flags';
import { isMockError } from './errors';
import { startMockServer } from './start';
import { logStartSummary } from './start-summary';

// The subcommands are loaded only when run: serving starts without their modules.
async function main(): Promise<void> {
  if (process.argv[2] === 'manifest') {
    process.exitCode = await (await import('./manifest-cli')).runManifestCli(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === 'report') {
    process.exitCode = await (await import('./report-cli')).runReportCli(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === 'send') {
    process.exitCode = await (await import('./send-cli')).runSendCli(process.argv.slice(3));
    return;
  }
  const parsed = parseCliArgs(withEnvFlags(process.argv.slice(2), process.env));
  if (parsed.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (parsed.version) {
    process.stdout.write(packageVersion() + '\n');
    return;
  }
  const o = parsed.options;
  // The command line keeps INTERFACE.md's defaults (a store that persists); the API's are ephemeral.
  const mock = await startMockServer({ ...o, db: o.db ?? DEFAULTS.db, fileshare: o.fileshare ?? DEFAULTS.fileshare, requestLog: true });
  const log = mock.context.log;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second signal: the user does not want to wait for --shutdown-timeout-ms.
      process.stderr.write(`${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    log.event('shutdown', { signal }, `${signal}: shutting down`);
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // Before the listening lines: a supervisor may signal as soon as it reads them.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  logStartSummary(mock);
  // Printed even when quiet: they say where to connect.
  const json = o.logFormat === 'json';
  for (const { role, url } of mock.listeners) {
    process.stdout.write(`${json ? JSON.stringify({ time: new Date().toISOString(), event: 'listening', role, url }) : `listening ${role} ${url}`}\n`);
  }
}

/** The version in this package's package.json (beside server/ or dist/). */
function packageVersion(): string {
  for (const up of ['..', '../..']) {
    const file = path.resolve(__dirname, up, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  }
  throw new Error(`package.json not found near ${__dirname}`);
}

main().catch((e: unknown) => {
  const msg = isMockError(e) ? e.message : `unexpected: ${(e as Error)?.message ?? String(e)}`;
  process.stderr.write(`sqm-cer-mock: ${msg}\n`);
  process.exit(2);
});
