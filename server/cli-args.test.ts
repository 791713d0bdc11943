// Command-line flags (INTERFACE.md section 1) → MockOptions; every refusal is a coded MockError.

import { parseCliArgs, USAGE } from './cli-args';
import type { MockOptions } from './config';
import { MockError } from './errors';
import { optionEntries } from './options';

/** Parses argv expecting options (not --help). */
function options(argv: string[]): MockOptions {
  const r = parseCliArgs(argv);
  if (r.help || r.version) throw new Error('unexpected --help or --version result');
  return r.options;
}

/** Parses argv expecting a MockError; returns it. */
function refusal(argv: string[]): MockError {
  try {
    parseCliArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(MockError);
    return e as MockError;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be refused`);
}

describe('parseCliArgs: flags → options', () => {
  it.each<[string, string[], Partial<MockOptions>]>([
    ['--port', ['--port', '9090'], { port: 9090 }],
    ['--port=', ['--port=9090'], { port: 9090 }],
    ['--port 0 (free port)', ['--port', '0'], { port: 0 }],
    ['--port 65535', ['--port', '65535'], { port: 65535 }],
    ['--cer-port', ['--cer-port', '1273'], { cerPort: 1273 }],
    ['--host', ['--host', '0.0.0.0'], { host: '0.0.0.0' }],
    ['--db', ['--db', './x.sqlite'], { db: './x.sqlite' }],
    ['--db :memory:', ['--db', ':memory:'], { db: ':memory:' }],
    ['--scenario', ['--scenario', 'scenarios/happy-path.yaml'], { scenario: 'scenarios/happy-path.yaml' }],
    ['--fileshare', ['--fileshare', '/tmp/share'], { fileshare: '/tmp/share' }],
    ['--tls-cert with --tls-key', ['--tls-cert', 'c.pem', '--tls-key', 'k.pem'], { tlsCert: 'c.pem', tlsKey: 'k.pem' }],
    ['--admin-token', ['--admin-token', 's3cret'], { adminToken: 's3cret' }],
    ['--quiet', ['--quiet'], { quiet: true }],
    ['--shutdown-timeout-ms', ['--shutdown-timeout-ms', '1000'], { shutdownTimeoutMs: 1000 }],
    ['--shutdown-timeout-ms 0 (close at once)', ['--shutdown-timeout-ms', '0'], { shutdownTimeoutMs: 0 }],
    ['the last of a repeated flag', ['--port', '1', '--port', '2'], { port: 2 }],
  ])('%s', (_name, argv, expected) => {
    const o = options(argv);
    expect(o).toMatchObject(expected);
    // Nothing else is set.
    const set = Object.entries(o)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => k);
    expect(set.sort()).toEqual(Object.keys(expected).sort());
  });

  it('maps every flag at once', () => {
    expect(
      options([
        '--port',
        '8081',
        '--cer-port',
        '1273',
        '--host',
        '::1',
        '--db',
        'db.sqlite',
        '--scenario',
        's.json',
        '--fileshare',
        'share',
        '--tls-cert',
        'c',
        '--tls-key',
        'k',
        '--admin-token',
        't',
        '--quiet',
      ]),
    ).toEqual({
      port: 8081,
      cerPort: 1273,
      host: '::1',
      db: 'db.sqlite',
      scenario: 's.json',
      fileshare: 'share',
      tlsCert: 'c',
      tlsKey: 'k',
      adminToken: 't',
      quiet: true,
    });
  });

  it('leaves everything to the defaults with no flags', () => {
    const o = options([]);
    expect(Object.values(o).every((v) => v === undefined)).toBe(true);
  });
});

describe('parseCliArgs: --help', () => {
  it.each<[string, string[]]>([
    ['--help', ['--help']],
    ['-h', ['-h']],
    ['--help with other flags', ['--port', '1', '--help']],
    ['--help wins over other flags', ['--help', '--upstream', 'http://x']],
  ])('%s', (_name, argv) => {
    expect(parseCliArgs(argv)).toEqual({ help: true });
  });

  it('--version wins over other flags too', () => {
    expect(parseCliArgs(['--port', 'x', '--version'])).toEqual({ help: false, version: true });
  });

  it('usage names every flag', () => {
    for (const f of ['--port', '--cer-port', '--host', '--db', '--scenario', '--fileshare', '--tls-cert', '--tls-key', '--admin-token', '--help']) {
      expect(USAGE).toContain(f);
    }
  });
});

describe('parseCliArgs: refusals', () => {
  it.each<[string, string[], string, string]>([
    ['--port -1', ['--port', '-1'], 'BAD_FLAG', '--port'],
    ['--port=-1', ['--port=-1'], 'BAD_FLAG', '--port'],
    ['--port 70000', ['--port', '70000'], 'BAD_FLAG', '--port'],
    ['--port 65536', ['--port', '65536'], 'BAD_FLAG', '--port'],
    ['--port abc', ['--port', 'abc'], 'BAD_FLAG', '--port'],
    ['--port 1.5', ['--port', '1.5'], 'BAD_FLAG', '--port'],
    ['--port 0x50', ['--port', '0x50'], 'BAD_FLAG', '--port'],
    ['--port 1e3', ['--port', '1e3'], 'BAD_FLAG', '--port'],
    ['--port empty', ['--port='], 'BAD_FLAG', '--port'],
    ['--port " 80"', ['--port', ' 80'], 'BAD_FLAG', '--port'],
    ['--port without a value', ['--port'], 'BAD_FLAG', '--port'],
    ['--cer-port 70000', ['--cer-port', '70000'], 'BAD_FLAG', '--cer-port'],
    ['--cer-port abc', ['--cer-port', 'abc'], 'BAD_FLAG', '--cer-port'],
    ['--host empty', ['--host='], 'BAD_FLAG', '--host'],
    ['--db empty', ['--db', ''], 'BAD_FLAG', '--db'],
    ['--scenario empty', ['--scenario='], 'BAD_FLAG', '--scenario'],
    ['--fileshare empty', ['--fileshare', ''], 'BAD_FLAG', '--fileshare'],
    ['--admin-token empty', ['--admin-token='], 'BAD_FLAG', '--admin-token'],
    ['--tls-cert without --tls-key', ['--tls-cert', 'c.pem'], 'BAD_FLAG', '--tls-key'],
    ['--tls-key without --tls-cert', ['--tls-key', 'k.pem'], 'BAD_FLAG', '--tls-cert'],
    ['unknown flag', ['--verbose'], 'BAD_FLAG', '--verbose'],
    ['unknown short flag', ['-x'], 'BAD_FLAG', '-x'],
    ['misspelled flag', ['--prot', '80'], 'BAD_FLAG', '--prot'],
    ['positional argument', ['scenario.yaml'], 'BAD_FLAG', 'scenario.yaml'],
    ['positional after flags', ['--port', '80', 'extra'], 'BAD_FLAG', 'extra'],
    ['value for a boolean flag', ['--quiet=yes'], 'BAD_FLAG', '--quiet'],
    ['--relay-datapoint-id not a number', ['--relay-datapoint-id', 'x'], 'BAD_FLAG', '--relay-datapoint-id'],
    ['--relay-datapoint-value over 32 bits', ['--relay-datapoint-value', '4294967296'], 'BAD_FLAG', '--relay-datapoint-value'],
    ['--relay-port not a port', ['--relay-port', '99999'], 'BAD_FLAG', '--relay-port'],
    ['--shutdown-timeout-ms negative', ['--shutdown-timeout-ms=-1'], 'BAD_FLAG', '--shutdown-timeout-ms'],
    ['--shutdown-timeout-ms with a unit', ['--shutdown-timeout-ms', '10s'], 'BAD_FLAG', '--shutdown-timeout-ms'],
    ['--shutdown-timeout-ms over what setTimeout takes', ['--shutdown-timeout-ms', '2147483648'], 'BAD_FLAG', '--shutdown-timeout-ms'],
  ])('%s → %s', (_name, argv, code, named) => {
    const e = refusal(argv);
    expect(e.code).toBe(code);
    expect(e.message).toContain(named);
    expect(e.message).not.toContain('\n');
  });
});

describe('parseCliArgs: refusal texts', () => {
  it.each<[string[], string]>([
    [['--port', 'abc'], '--port: expected a port number 0..65535, got "abc"'],
    [['--cer-port', '65536', '--relay-port', 'x'], '--cer-port: expected a port number 0..65535, got "65536"'],
    [['--db', ''], '--db: expected a value, got ""'],
    [['--tls-key', 'k.pem'], '--tls-cert and --tls-key go together: give both or neither'],
    [['--relay-datapoint-id', '0x100000000'], '--relay-datapoint-id: expected a DWORD (0..4294967295, decimal or 0x hex), got "0x100000000"'],
    [['--quiet=yes'], "Option '--quiet' does not take an argument (see --help)"],
    [['--log-format', 'xml'], '--log-format: expected text or json, got "xml"'],
  ])('%j → %s', (argv, message) => {
    expect(refusal(argv).message).toBe(message);
  });
});

describe('every option of the table', () => {
  it('maps from its flag (values of each kind)', () => {
    expect(
      options([
        '--watch',
        '--scenario',
        's.yaml',
        '--tls-cert',
        'c',
        '--tls-key',
        'k',
        '--relay-port',
        '0',
        '--upstream',
        'http://u',
        '--upstream-ca',
        'ca',
        '--relay-datapoint-id',
        '0xFFFFFFFF',
        '--relay-datapoint-value',
        '4294967295',
      ]),
    ).toEqual({
      watch: true,
      scenario: 's.yaml',
      tlsCert: 'c',
      tlsKey: 'k',
      relayPort: 0,
      upstream: 'http://u',
      upstreamCa: 'ca',
      relayDatapointId: 0xffffffff,
      relayDatapointValue: 4294967295,
    });
  });

  it.each(optionEntries().map(([, s]) => [s.flag]))('%s is in the usage text', (flag) => {
    expect(USAGE).toMatch(new RegExp(`^  (-\\w, )?${flag}\\b`, 'm'));
  });
});

describe('relay and upstream flags', () => {
  it('map to their options, DWORDs in decimal or hex', () => {
    const r = parseCliArgs(['--relay-port', '53533', '--upstream', 'https://up.test', '--upstream-ca', 'ca.pem', '--relay-datapoint-id', '0x10', '--relay-datapoint-value', '7']);
    expect(r).toMatchObject({ help: false, options: { relayPort: 53533, upstream: 'https://up.test', upstreamCa: 'ca.pem', relayDatapointId: 16, relayDatapointValue: 7 } });
  });
});
