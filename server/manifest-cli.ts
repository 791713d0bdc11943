// `sqm-cer-mock manifest encode|decode`: A-SQM manifest packages (MS-SQMCS 2.2.6) from YAML and back.
// Problems are one line on stderr and exit 2 (bad usage, unreadable file, invalid YAML); error findings
// in decoded bytes exit 1. Never a stack trace.

import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseArgsProblem } from './suggest';
import { ERR, isMockError, osReason } from './errors';
import { hasErrors, hex32, type Finding } from './wire/findings';
import { decodeManifestPackage, encodeManifestPackage } from './protocols/asqm-manifest/codec';
import { manifestFromYaml } from './protocols/asqm-manifest/authoring';
import { manifestToYaml } from './protocols/asqm-manifest/to-yaml';

export const MANIFEST_USAGE = `usage: sqm-cer-mock manifest encode FILE.yaml -o OUT.bin [--partner P]
       sqm-cer-mock manifest decode FILE.bin
  encode        YAML manifest → A-SQM package (download header + manifest), as served at
                /sqm/<partner>/manifests/Sqm<version>.bin. FILE may be a scenario: its
                partners.<P>.manifest is used (--partner picks P when several have one)
  -o, --output  where to write the package ("-" = stdout)
  --partner P   PartnerName when the manifest has no "partner" key; the scenario partner
  decode        A-SQM package → its YAML form on stdout; findings on stderr
  exit status   0 ok; 1 the bytes break MS-SQMCS 2.2.6 (error findings); 2 bad usage,
                unreadable file or invalid YAML manifest`;

const out = (s: string): void => void process.stdout.write(s);
const err = (s: string): void => void process.stderr.write(s);

/**
 * Runs the `manifest` subcommand; `argv` is what follows `manifest` on the command line. Writes to
 * process.stdout/stderr and resolves to the exit code; never throws.
 * @example process.exitCode = await runManifestCli(['decode', 'Sqm7.bin']);
 */
export async function runManifestCli(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (e) {
    const msg = isMockError(e) ? e.message : `unexpected: ${(e as Error)?.message ?? String(e)}`;
    err(`sqm-cer-mock manifest: ${msg.split('\n')[0]}\n`);
    return 2;
  }
}

async function run(argv: string[]): Promise<number> {
  let parsed;
  const options = { output: { type: 'string', short: 'o' }, partner: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
  try {
    parsed = parseArgs({ args: argv, strict: true, allowPositionals: true, options });
  } catch (e) {
    throw ERR.BAD_FLAG({ said: parseArgsProblem(e, Object.keys(options)), hint: 'see --help' });
  }
  const {
    values: v,
    positionals: [command, file, ...extra],
  } = parsed;
  if (v.help) {
    out(MANIFEST_USAGE + '\n');
    return 0;
  }
  const hint = 'see --help';
  if (command !== 'encode' && command !== 'decode')
    throw ERR.BAD_FLAG({ expected: '"encode" or "decode"', got: command === undefined ? 'nothing' : JSON.stringify(command), hint });
  if (file === undefined) throw ERR.BAD_FLAG({ subject: command, expected: 'a file', hint });
  if (extra.length > 0) throw ERR.BAD_FLAG({ subject: command, said: `unexpected argument ${JSON.stringify(extra[0])}`, hint });
  if (command === 'decode') {
    if (v.output !== undefined || v.partner !== undefined) throw ERR.BAD_FLAG({ subject: 'decode', said: 'takes no -o or --partner', hint: 'the YAML goes to stdout' });
    return decode(file);
  }
  if (v.output === undefined || v.output === '') throw ERR.BAD_FLAG({ subject: 'encode', expected: '-o OUT.bin', hint: 'or -o - for stdout' });
  return encode(file, v.output, v.partner);
}

async function read(file: string, encoding?: 'utf8'): Promise<string | Buffer> {
  try {
    return await readFile(file, encoding);
  } catch (e) {
    throw ERR.BAD_FILE({ action: 'read', file, reason: osReason(e) });
  }
}

async function encode(file: string, output: string, partner: string | undefined): Promise<number> {
  const text = (await read(file, 'utf8')) as string;
  const bytes = encodeManifestPackage(manifestFromYaml(text, { partner, source: file }));
  // The encoder's own output, checked: what is left are notes such as an empty manifest.
  const { value, findings } = decodeManifestPackage(bytes);
  printFindings(findings);
  if (output === '-') {
    process.stdout.write(bytes);
    return 0;
  }
  try {
    await writeFile(output, bytes);
  } catch (e) {
    throw ERR.BAD_FILE({ action: 'write', file: output, reason: osReason(e) });
  }
  out(`wrote ${output}: ${bytes.length} bytes, version ${value?.header.version}, ${value?.sections.length} sections, checksum ${hex32(bytes.readUInt32LE(8))}\n`);
  return 0;
}

async function decode(file: string): Promise<number> {
  const bytes = (await read(file)) as Buffer;
  const { value, findings } = decodeManifestPackage(bytes);
  printFindings(findings);
  if (value !== null) out(manifestToYaml(value));
  return value === null || hasErrors(findings) ? 1 : 0;
}

function printFindings(findings: readonly Finding[]): void {
  for (const f of findings) err(`${f.level} ${f.rule} (${f.specRef})${f.offset === undefined ? '' : ` at ${f.offset}`}: ${f.message}\n`);
}
