// Flags from environment variables, for containers and CI services: SQM_MOCK_<FLAG> (--cer-port →
// SQM_MOCK_CER_PORT) stands for a flag not given on the command line; a flag given wins. Every
// serving flag of the option table has one (--help does not). Documented in docs/cli.md.

import { parseCliArgs } from './cli-args';
import { ERR, isMockError, quote } from './errors';
import { optionEntries, type OptionSpec } from './options';

export const ENV_PREFIX = 'SQM_MOCK_';

/** The environment variable of a flag: `--cer-port` → `SQM_MOCK_CER_PORT`. */
export const envName = (flag: string): string => `${ENV_PREFIX}${flag.slice(2).toUpperCase().replace(/-/g, '_')}`;

const specs = (): OptionSpec[] =>
  optionEntries()
    .map(([, s]) => s)
    .filter((s) => s.flag !== '--help');

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];

const given = (argv: readonly string[], s: OptionSpec): boolean => argv.some((a) => a === s.flag || a.startsWith(`${s.flag}=`) || (s.short !== undefined && a === `-${s.short}`));

/** The flags one environment variable stands for (none when it is empty or a boolean says no). */
function flagsOf(s: OptionSpec, name: string, value: string): string[] {
  if (s.kind !== 'boolean') return [s.flag, value];
  const v = value.toLowerCase();
  if (TRUE.includes(v)) return [s.flag];
  if (FALSE.includes(v)) return [];
  throw ERR.BAD_FLAG({ subject: `${name} (environment)`, expected: `one of ${[...TRUE, ...FALSE].join(', ')}`, got: quote(value) });
}

/**
 * `argv` with a flag added for each SQM_MOCK_* variable whose flag `argv` does not give. An empty
 * variable counts as unset; an unknown SQM_MOCK_* name, a bad boolean, or a value its flag refuses
 * throws a BAD_FLAG error naming the variable.
 * @example withEnvFlags(['--port', '9000'], { SQM_MOCK_PORT: '8080', SQM_MOCK_CER_PORT: '1273' })
 *          // → ['--cer-port', '1273', '--port', '9000']
 */
export function withEnvFlags(argv: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const byName = new Map(specs().map((s) => [envName(s.flag), s]));
  const added: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || value === undefined || value === '') continue;
    const s = byName.get(name);
    if (!s) throw ERR.BAD_FLAG({ subject: `${name} (environment)`, said: 'unknown variable', hint: `known: ${[...byName.keys()].join(', ')}` });
    if (given(argv, s)) continue;
    const flags = flagsOf(s, name, value);
    try {
      parseCliArgs(flags);
    } catch (e) {
      // A bad value ("--port: expected …") is the variable's fault; a flag that needs its pair
      // (--tls-cert, --tls-key) is checked with the whole command line by the caller.
      if (isMockError(e) && e.message.startsWith(`${s.flag}:`)) throw ERR.BAD_FLAG({ subject: `${name} (environment)`, said: e.message });
    }
    added.push(...flags);
  }
  return [...added, ...argv];
}
