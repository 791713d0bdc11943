// Flags from SQM_MOCK_* environment variables: names, precedence (a flag given wins), booleans,
// empty values, and errors that name the variable.

import { isMockError } from './errors';
import { envName, withEnvFlags } from './env-flags';
import { parseCliArgs } from './cli-args';
import { optionEntries } from './options';

const fails = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (isMockError(e)) return e.message;
    throw e;
  }
  throw new Error('did not throw');
};

describe('withEnvFlags', () => {
  it.each([
    ['--port', 'SQM_MOCK_PORT'],
    ['--cer-port', 'SQM_MOCK_CER_PORT'],
    ['--admin-allowed-hosts', 'SQM_MOCK_ADMIN_ALLOWED_HOSTS'],
    ['--max-inflight-body-mb', 'SQM_MOCK_MAX_INFLIGHT_BODY_MB'],
  ])('%s is %s', (flag, name) => expect(envName(flag)).toBe(name));

  it('every serving flag has a variable, --help has none', () => {
    const known = /\(known: (.*)\)$/.exec(fails(() => withEnvFlags([], { SQM_MOCK_HELP: '1' })))![1].split(', ');
    const flags = optionEntries()
      .map(([, s]) => s.flag)
      .filter((f) => f !== '--help');
    expect(known).toEqual(flags.map(envName));
  });

  const cases: [string, string[], Record<string, string>, string[]][] = [
    ['adds the flags of the variables', [], { SQM_MOCK_PORT: '0', SQM_MOCK_SCENARIO: 's.yaml' }, ['--port', '0', '--scenario', 's.yaml']],
    ['a flag given wins over its variable', ['--port', '9000'], { SQM_MOCK_PORT: '8080', SQM_MOCK_CER_PORT: '1273' }, ['--cer-port', '1273', '--port', '9000']],
    ['also in the --flag=value form', ['--port=9000'], { SQM_MOCK_PORT: '8080' }, ['--port=9000']],
    ['an empty variable counts as unset', [], { SQM_MOCK_SCENARIO: '' }, []],
    ['a boolean: 1, true, yes, on', [], { SQM_MOCK_QUIET: 'true', SQM_MOCK_WATCH: '1' }, ['--quiet', '--watch']],
    ['a boolean: 0, false, no, off adds nothing', [], { SQM_MOCK_QUIET: 'off' }, []],
    ['other variables are left alone', ['--quiet'], { PATH: '/bin', MOCK: 'x', SQM_MOCKERY: 'y' }, ['--quiet']],
  ];
  it.each(cases)('%s', (_n, argv, env, expected) => expect(withEnvFlags(argv, env)).toEqual(expected));

  it('the result parses as the command line it stands for', () => {
    const argv = withEnvFlags(['--db', ':memory:'], { SQM_MOCK_HOST: '0.0.0.0', SQM_MOCK_PORT: '8080', SQM_MOCK_DB: '/data/x.sqlite' });
    expect(parseCliArgs(argv)).toMatchObject({ help: false, options: { host: '0.0.0.0', port: 8080, db: ':memory:' } });
  });

  it.each([
    ['an unknown SQM_MOCK_ name', { SQM_MOCK_SCENARO: 'x' }, /^SQM_MOCK_SCENARO \(environment\): unknown variable \(known: .*SQM_MOCK_SCENARIO/],
    ['a bad value, with what its flag expects', { SQM_MOCK_PORT: 'http' }, /^SQM_MOCK_PORT \(environment\): --port: expected a port number 0\.\.65535, got "http"$/],
    ['a bad boolean', { SQM_MOCK_QUIET: 'maybe' }, /^SQM_MOCK_QUIET \(environment\): expected one of 1, true, yes, on, 0, false, no, off, got "maybe"$/],
  ])('refuses %s, naming the variable', (_n, env, message) => expect(fails(() => withEnvFlags([], env))).toMatch(message));

  it('a pair (--tls-cert, --tls-key) may come half from the environment, half from the command line', () => {
    const argv = withEnvFlags(['--tls-key', 'k.pem'], { SQM_MOCK_TLS_CERT: 'c.pem' });
    expect(parseCliArgs(argv)).toMatchObject({ options: { tlsCert: 'c.pem', tlsKey: 'k.pem' } });
    expect(fails(() => parseCliArgs(withEnvFlags([], { SQM_MOCK_TLS_CERT: 'c.pem' })))).toBe('--tls-cert and --tls-key go together: give both or neither');
  });
});
