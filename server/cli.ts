#!/usr/bin/env node
// Command line: parse flags, start, print `listening <role> <url>` per listener, serve until
// SIGINT/SIGTERM, then shut down cleanly. Errors are one line and a non-zero exit, never a stack.

import { parseCliArgs, USAGE } from './cli-args';
import { withEnvFlags } from './env-flags';
import { runManifestCli } from './manifest-cli';
import { runReportCli } from './report-cli';
import { isMockError } from './errors';
import { startMockServer } from './start';

async function main(): Promise<void> {
  if (process.argv[2] === 'manifest') {
    process.exitCode = await runManifestCli(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === 'report') {
    process.exitCode = await runReportCli(process.argv.slice(3));
    return;
  }
  const parsed = parseCliArgs(withEnvFlags(process.argv.slice(2), process.env));
  if (parsed.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const mock = await startMockServer(parsed.options);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second signal: the user does not want to wait for --shutdown-timeout-ms.
      process.stderr.write(`${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    if (!parsed.options.quiet) process.stdout.write(`${signal}: shutting down\n`);
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // Before the listening lines: a supervisor may signal as soon as it reads them.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  for (const l of mock.listeners) process.stdout.write(`listening ${l.role} ${l.url}\n`);
}

main().catch((e: unknown) => {
  const msg = isMockError(e) ? e.message : `unexpected: ${(e as Error)?.message ?? String(e)}`;
  process.stderr.write(`sqm-cer-mock: ${msg}\n`);
  process.exit(2);
});
