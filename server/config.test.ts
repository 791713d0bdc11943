// Option defaults (INTERFACE.md section 1 table).

import { DEFAULTS, resolveConfig, type MockConfig, type MockOptions } from './config';

describe('resolveConfig', () => {
  it('fills in the documented defaults', () => {
    expect(resolveConfig({})).toEqual<MockConfig>({
      port: 8080,
      cerPort: undefined,
      host: '127.0.0.1',
      db: './data/capture.sqlite',
      scenario: undefined,
      watch: false,
      fileshare: './data/fileshare',
      tlsCert: undefined,
      tlsKey: undefined,
      adminToken: undefined,
      upstream: undefined,
      upstreamCa: undefined,
      upstreamTimeoutMs: 30_000,
      upstreamIdleMs: 10_000,
      upstreamAnswerLimit: 64 << 20,
      relayPort: undefined,
      relayDatapointId: 0x4d4f434b,
      relayDatapointValue: 1,
      maxInflightBodyMb: 32,
      bodyWaitMs: 120000,
      shutdownTimeoutMs: 10000,
      storeDecompressed: false,
      quiet: false,
      logFormat: 'text',
    });
  });

  it('DEFAULTS match INTERFACE.md', () => {
    expect(DEFAULTS).toEqual({
      port: 8080,
      host: '127.0.0.1',
      db: './data/capture.sqlite',
      fileshare: './data/fileshare',
      // Our additions (README): the relay's data point, 'MOCK' in ASCII, value 1.
      relayDatapointId: 0x4d4f434b,
      relayDatapointValue: 1,
      // The body budget (issue 13 item 5, README "Memory").
      maxInflightBodyMb: 32,
      bodyWaitMs: 120000,
      // How long close() lets in-flight requests run before closing their connections (issue 13 item 8).
      shutdownTimeoutMs: 10000,
      // The upstream leg's limits (README: When the upstream answer breaks).
      upstreamTimeoutMs: 30_000,
      upstreamIdleMs: 10_000,
      upstreamAnswerLimit: 64 << 20,
      // Log lines as text unless --log-format json (issue 14 item 5).
      logFormat: 'text',
    });
  });

  it.each<[string, MockOptions, Partial<MockConfig>]>([
    ['port', { port: 9000 }, { port: 9000 }],
    ['port 0 is kept (free port), not the default', { port: 0 }, { port: 0 }],
    ['cerPort', { cerPort: 1273 }, { cerPort: 1273 }],
    ['host', { host: '0.0.0.0' }, { host: '0.0.0.0' }],
    ['db :memory:', { db: ':memory:' }, { db: ':memory:' }],
    ['scenario file', { scenario: 'scenarios/x.yaml' }, { scenario: 'scenarios/x.yaml' }],
    ['scenario object', { scenario: { strictness: 'lenient' } }, { scenario: { strictness: 'lenient' } }],
    ['fileshare', { fileshare: '/srv/share' }, { fileshare: '/srv/share' }],
    ['tls', { tlsCert: 'c', tlsKey: 'k' }, { tlsCert: 'c', tlsKey: 'k' }],
    ['adminToken', { adminToken: 't' }, { adminToken: 't' }],
    ['quiet', { quiet: true }, { quiet: true }],
  ])('keeps %s', (_name, options, expected) => {
    const c = resolveConfig(options);
    expect(c).toMatchObject(expected);
    // Everything not given is still defaulted.
    expect(c).toEqual({ ...resolveConfig({}), ...expected });
  });
});
