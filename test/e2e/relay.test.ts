// The SQM relay (Windows Feedback Forwarder role, MS-SQMCS 3.3, MS-SQMCS2 3.3) end to end: a relay
// instance in front of a second instance (the service). SQM sessions arrive augmented (one data
// point, Flags bit 7, valid lengths, offsets and checksums); anything else arrives byte for byte; the
// service's answer comes back unchanged; both legs are captured on the relay.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { MockServer, SessionJson } from '../../server';
import { extractCabinetFile } from '../../server/cab';
import { decodeSqmSession } from '../../server/codecs/sqm-session/codec';
import { splitMessage } from '../../server/codecs/sqm-v2-message/framing';
import { buildCabinet, buildSqmSession, buildV2Message, responseCommands, type BuildReq, type BuildSection } from '../../server/testing';
import { win7Capture } from '../helpers/fixtures';
import { closedPort, send, type Reply } from '../helpers/http';
import { useMock, withMock, type UseMockOptions } from '../helpers/lifecycle';
import { rawPost } from '../helpers/raw-http';

/** `forward` on a relay's request record (GET /__admin/requests/:id). */
interface ForwardJson {
  url: string;
  method: string;
  requestHeaders: Record<string, string>;
  requestSha256: string;
  requestSize: number;
  status: number | null;
  responseHeaders: Record<string, string> | null;
  responseSize: number;
  error: string | null;
  durationMs: number;
}

const MARK_ID = 0x4d4f434b; // 'MOCK', the default --relay-datapoint-id
const SQM = '/sqm/windows/sqmserver.dll';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const decompress = (data: Buffer, maxBytes: number) => extractCabinetFile(data, { maxBytes });

const service = useMock();
const relay = useMock(() => ({ relayPort: 0, upstream: service.url }));
const viaRelay = (p: string, body?: Uint8Array, method = 'POST') => send(`${relay.relayUrl}${p}`, { method, body });

/** Starts an instance with a relay listener; closes it after `use`. */
const withRelay = (opts: UseMockOptions, use: (r: MockServer) => Promise<void>): Promise<void> => withMock({ relayPort: 0, ...opts }, use);

/**
 * Both legs of one relayed exchange, checked to agree: what the relay sent is what the service
 * received (bytes and sha256), what the service answered is what the client got.
 */
async function legs(reply: Reply, sent: Uint8Array, r: MockServer = relay) {
  const relayId = Number(reply.headers.get('x-mock-request-id'));
  const record = (await r.client.request(relayId)) as Awaited<ReturnType<MockServer['client']['request']>> & { forward?: ForwardJson };
  expect(record).toMatchObject({ protocol: 'relay', listener: 'relay', status: reply.status });
  expect((await r.client.requestBody(relayId)).equals(Buffer.from(sent))).toBe(true);
  const fw = record.forward!;
  expect(fw).toMatchObject({ status: reply.status, error: null, method: record.method, url: `${service.url}${record.path}` });
  const serviceId = Number(fw.responseHeaders!['x-mock-request-id']);
  const received = await service.client.requestBody(serviceId);
  const sentLeg = await r.client.forwardBody(relayId, 'sent');
  expect(sentLeg.equals(received)).toBe(true);
  expect([fw.requestSha256, fw.requestSize]).toEqual([sha256(received), received.length]);
  expect((await r.client.forwardBody(relayId, 'received')).equals(reply.body)).toBe(true);
  expect(fw.responseSize).toBe(reply.body.length);
  const serviceRecord = await service.client.request(serviceId);
  expect([serviceRecord.method, serviceRecord.path, serviceRecord.status]).toEqual([record.method, record.path, reply.status]);
  return { relayId, record, fw, serviceId, received, serviceRecord };
}

/** The service's view of a relayed session: the mark, bit 7, no error findings, sections end to end. */
function expectAugmented(s: SessionJson, mark = { id: MARK_ID, value: 1 }): void {
  expect(s.header.flags & 0x80).toBe(0x80);
  const first = s.sections.find((c) => c.typeName === 'dword')!;
  expect(first.datapoints!.filter((d) => d.id === mark.id)).toEqual([{ id: mark.id, value: mark.value, tickCount: 0 }]);
  expect(s.findings.filter((f) => f.level === 'error')).toEqual([]);
  let at = 0;
  for (const c of s.sections) {
    expect(c.offset).toBe(at);
    at += 8 + c.length;
  }
}

/** Decodes what the service received: a valid session, every checksum and length right. */
function expectValidSession(bytes: Buffer) {
  const { value, findings } = decodeSqmSession(bytes, { maxRawBytes: 1 << 20, decompress });
  expect(findings.filter((f) => f.level === 'error')).toEqual([]);
  return value!;
}

const DWORDS: BuildSection = {
  type: 'dword',
  datapoints: [
    { id: 6, value: 7601 },
    { id: 7, value: 1 },
  ],
};
const strings = (layout: 'document' | 'windows'): BuildSection => ({
  type: 'string',
  layout,
  datapoints: [
    { id: 780, value: '100040219' },
    { id: 781, value: 'relayed' },
  ],
});

describe('SQM v1 through the relay (MS-SQMCS 3.3.5)', () => {
  it.each(['document', 'windows'] as const)('a session with the %s STRING layout arrives augmented, layout kept', async (layout) => {
    const body = buildSqmSession({ sections: [DWORDS, strings(layout)] });
    const reply = await viaRelay(SQM, body);
    expect([reply.status, reply.body.length]).toEqual([200, 0]);
    const { fw, serviceId, received, record } = await legs(reply, body);
    expect(fw.url).toBe(`${service.url}${SQM}`);
    expect(received.length).toBe(body.length + 12);
    const [s] = await service.client.sqmSessions({ requestId: serviceId });
    expectAugmented(s);
    expect(s.accepted).toBe(true);
    expect(s.sections[0].datapoints!.map((d) => d.id)).toEqual([6, 7, MARK_ID]);
    expect(s.sections[1]).toMatchObject({ layout, datapoints: [expect.objectContaining({ value: '100040219' }), expect.objectContaining({ value: 'relayed' })] });
    expect(await service.client.violations({ requestId: serviceId })).toEqual([]);
    expect(expectValidSession(received).header.flags).toBe(0x80);
    // The relay notes what it did, as information, not as a violation of the client's.
    expect((await relay.client.violations({ requestId: record.id, level: 'all' })).map((v) => [v.rule, v.level])).toEqual([['relay.augmented', 'info']]);
    expect(await relay.client.violations()).toEqual([]);
  });

  it('the MS-SQMCS 4.1 capture (a real Windows 7 upload) arrives augmented, every other section as it was', async () => {
    const reply = await viaRelay(SQM, win7Capture());
    expect(reply.status).toBe(200);
    const { serviceId } = await legs(reply, win7Capture());
    const [s] = await service.client.sqmSessions({ requestId: serviceId });
    expectAugmented(s);
    expect(s.header.flags).toBe(0xa0);
    expect(s.sections.map((c) => c.typeName)).toEqual(['dword', 'string', 'stream', 'raw', 'stream']);
    expect(s.sections[0].datapoints).toHaveLength(42);
    expect(s.sections[1].layout).toBe('windows');
  });

  it('a compressed session arrives uncompressed: InternalFlags bit 0 clear, RawDataLength 0', async () => {
    const body = buildSqmSession({ header: { internalFlags: 0x9 }, sections: [DWORDS, strings('windows')], compress: (raw) => buildCabinet(raw) });
    const reply = await viaRelay(SQM, body);
    expect(reply.status).toBe(200);
    const { serviceId, received } = await legs(reply, body);
    const [s] = await service.client.sqmSessions({ requestId: serviceId });
    expectAugmented(s);
    expect(s.compressed).toBe(false);
    expect(s.header).toMatchObject({ internalFlags: 0x8, rawDataLength: 0, rawDataChecksum: 0 });
    expect(s.sections[1]).toMatchObject({ layout: 'windows', datapoints: [expect.objectContaining({ value: '100040219' }), expect.anything()] });
    const decoded = expectValidSession(received);
    expect(decoded.header.dataLength).toBe(received.length - 120);
  });
});

describe('SQM v2 through the relay (MS-SQMCS2 3.3.5)', () => {
  const upload = (key: string, token: string, offset: number, size: number): BuildReq => ({ key, cmd: 'dataupload', cmdArgs: { tm: '129579283005582927', token, size, offset } });

  it("requupload (no payload) goes through byte for byte; the service's token comes back", async () => {
    const body = buildV2Message({ reqs: [{ key: '1', cmd: 'requpload' }] });
    const reply = await viaRelay(SQM, body);
    expect(reply.status).toBe(200);
    const { received } = await legs(reply, body);
    expect(received.equals(body)).toBe(true);
    const token = responseCommands(reply.text)['1'];
    expect(token.nm).toBe('approved');
    expect((await service.client.sqmTokens()).map((t) => t.token)).toEqual([token.args.token]);
  });

  it('a two-session dataupload: the service answers two receipts; its sessions carry the data point and bit 7', async () => {
    const approved = await viaRelay(SQM, buildV2Message({ reqs: [{ key: '1', cmd: 'requpload' }] }));
    const token = responseCommands(approved.text)['1'].args.token;
    const [a, b] = [buildSqmSession({ sections: [DWORDS] }), buildSqmSession({ sections: [strings('windows')] })];
    const body = buildV2Message({ reqs: [upload('1', token, 0, a.length), upload('2', token, a.length, b.length)], payload: Buffer.concat([a, b]) });
    const reply = await viaRelay(SQM, body);
    expect(reply.status).toBe(200);
    const c = responseCommands(reply.text);
    expect([c['1'].nm, c['2'].nm]).toEqual(['receipt', 'receipt']);
    const { serviceId, received, serviceRecord } = await legs(reply, body);
    // +12 for a's data point; +20 for b's (a new DWORD section: 8-byte section header and the point).
    expect(received.length).toBe(body.length + 32 + (splitMessage(received).value!.xml.length - splitMessage(body).value!.xml.length));
    const sessions = await service.client.sqmSessions({ requestId: serviceId });
    expect(sessions.map((s) => s.protocolVersion)).toEqual([2, 2]);
    for (const s of sessions) expectAugmented(s);
    // The second session had no DWORD section: the relay made one in front.
    expect(sessions[1].sections.map((s) => s.typeName)).toEqual(['dword', 'string']);
    expect(await service.client.violations({ requestId: serviceId, level: 'error' })).toEqual([]);
    // Offsets and sizes rewritten to the new layout.
    const xml = (serviceRecord as { requestXml?: string }).requestXml ?? splitMessage(received).value!.xml.toString('utf8');
    expect(xml).toContain(`<arg nm="size" val="${a.length + b.length + 32}"`);
    expect(xml).toMatch(new RegExp(`<arg nm="size" val="${a.length + 12}"\\s*/><arg nm="offset" val="0"`));
    expect(xml).toMatch(new RegExp(`<arg nm="size" val="${b.length + 20}"\\s*/><arg nm="offset" val="${a.length + 12}"`));
  });
});

describe('anything else goes through byte for byte (MS-SQMCS 3.3.1)', () => {
  it("a manifest GET: the service's status and body come back unchanged", async () => {
    const reply = await viaRelay('/sqm/windows/manifests/Sqm7.bin', undefined, 'GET');
    const { serviceRecord, fw } = await legs(reply, Buffer.alloc(0));
    expect(reply.status).toBe(serviceRecord.status);
    expect(reply.text).toBe(serviceRecord.responseBody ?? '');
    expect(reply.headers.get('content-type')).toBe(serviceRecord.responseHeaders['content-type']);
    expect(fw.method).toBe('GET');
    expect(reply.status).toBe(404); // manifests are served by a later issue
  });

  function garbage(n: number, seed: number): Buffer {
    const out = Buffer.alloc(n);
    let x = seed >>> 0;
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      out[i] = x >>> 24;
    }
    return out;
  }
  const cases: [string, string, string, Buffer][] = [
    ['random bytes to the SQM path', 'POST', SQM, garbage(4096, 1)],
    ['an MSQM prefix that is no valid session', 'POST', SQM, Buffer.concat([Buffer.from('MSQM'), garbage(300, 2)])],
    ['a session with a bad checksum', 'POST', SQM, buildSqmSession({ sections: [DWORDS], header: { dataChecksum: 7 } })],
    ['a malformed v2 message', 'POST', SQM, Buffer.concat([Buffer.from([20, 0, 0, 0]), Buffer.from('<req ver="2"><tlm></req>')])],
    ['a PUT with a query to another path', 'PUT', '/some/where?x=1&y=%22z%22', garbage(1000, 3)],
    ['an empty POST', 'POST', SQM, Buffer.alloc(0)],
  ];
  it.each(cases)('%s', async (_name, method, p, body) => {
    const reply = await viaRelay(p, body, method);
    const { received, fw, serviceRecord, record } = await legs(reply, body);
    expect(received.equals(body)).toBe(true);
    expect(fw.requestSha256).toBe(sha256(body));
    expect(serviceRecord.path).toBe(p);
    expect(reply.text).toBe(serviceRecord.responseBody ?? '');
    expect((await relay.client.violations({ requestId: record.id, level: 'all' })).map((v) => v.rule)).toEqual(['relay.passthrough']);
  });
});

describe('the request target goes through exactly as sent', () => {
  /** A request with its path exactly as given (fetch and new URL() would rewrite `"` and `\\`). */
  const rawRequest = (base: string, p: string, body: Buffer): Promise<number> =>
    new Promise((resolve, reject) => {
      const { hostname, port } = new URL(base);
      const req = http.request({ host: hostname, port, path: p, method: 'PUT', agent: false, headers: { 'content-length': body.length } }, (res) => {
        res.resume();
        res.on('end', () => resolve(Number(res.headers['x-mock-request-id'])));
      });
      req.on('error', reject);
      req.end(body);
    });

  it.each([
    ['double quotes in the query', '/?partner="https://sqm.microsoft.com/sqm/windows/sqmserver.dll"'],
    ['backslashes in the path', '/\\PersistedCabs\\APPCRASH\\100\\1.cab'],
  ])('%s', async (_name, p) => {
    const body = Buffer.from('not SQM');
    const id = await rawRequest(relay.relayUrl!, p, body);
    const record = (await relay.client.request(id)) as { path: string; forward?: ForwardJson };
    expect(record.path).toBe(p);
    const serviceRecord = await service.client.request(Number(record.forward!.responseHeaders!['x-mock-request-id']));
    expect(serviceRecord.path).toBe(p);
    expect((await service.client.requestBody(serviceRecord.id)).equals(body)).toBe(true);
  });
});

describe("the service's answer comes back unchanged", () => {
  it('status, headers from a scenario rule on the service, and body', async () => {
    await service.client.setScenario({
      rules: [
        { name: 'custom', when: { protocol: 'sqm-v1' }, respond: { status: 201, headers: { 'X-Custom': 'from-service', 'Retry-After': '9' }, body: 'hello from the service' } },
      ],
    });
    const body = buildSqmSession({ sections: [DWORDS] });
    const reply = await viaRelay(SQM, body);
    expect(reply.status).toBe(201);
    expect(reply.headers.get('x-custom')).toBe('from-service');
    expect(reply.headers.get('retry-after')).toBe('9');
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(reply.text).toBe('hello from the service');
    const { serviceRecord } = await legs(reply, body);
    expect(serviceRecord.ruleName).toBe('custom');
  });

  it('an SQM v1 throttle answer (201, ThrottleInterval header and body line)', async () => {
    await service.client.setScenario({ rules: [{ respond: { sqm: { throttleInterval: 7 } } }] });
    const reply = await viaRelay(SQM, buildSqmSession());
    expect([reply.status, reply.headers.get('throttleinterval'), reply.text]).toEqual([201, '"7"', 'ThrottleInterval:"7"\r\n']);
  });
});

describe("the relay's own data point (--relay-datapoint-id, --relay-datapoint-value)", () => {
  it('custom id and value arrive at the service', async () => {
    await withRelay({ upstream: service.url, relayDatapointId: 0xc0ffee, relayDatapointValue: 42 }, async (r) => {
      const body = buildSqmSession({ sections: [DWORDS] });
      const reply = await send(`${r.relayUrl}${SQM}`, { body });
      expect(reply.status).toBe(200);
      const { serviceId } = await legs(reply, body, r);
      const [s] = await service.client.sqmSessions({ requestId: serviceId });
      expectAugmented(s, { id: 0xc0ffee, value: 42 });
      expect(s.sections[0].datapoints!.some((d) => d.id === MARK_ID)).toBe(false);
    });
  });
});

describe('scenario rules on the relay answer or fault the client leg', () => {
  it('respond: a status answers the client; nothing is forwarded', async () => {
    await relay.client.setScenario({ rules: [{ name: 'relay-busy', when: { protocol: 'relay' }, respond: { status: 503, headers: { 'Retry-After': '3' }, body: 'relay busy' } }] });
    const reply = await viaRelay(SQM, buildSqmSession());
    expect([reply.status, reply.text, reply.headers.get('retry-after')]).toEqual([503, 'relay busy', '3']);
    const record = await relay.client.request(Number(reply.headers.get('x-mock-request-id')));
    expect(record).toMatchObject({ ruleName: 'relay-busy', status: 503 });
    expect('forward' in record).toBe(false);
    expect(await service.client.requests()).toEqual([]);
  });

  it("a fault: the upload is forwarded, the client's connection is reset", async () => {
    await relay.client.setScenario({ rules: [{ name: 'drop', when: { protocol: 'relay' }, respond: { fault: 'reset' } }] });
    const reply = await rawPost(`${relay.relayUrl}${SQM}`, buildSqmSession({ sections: [DWORDS] }));
    expect(reply.error?.code).toBe('ECONNRESET');
    const [record] = await relay.client.requests();
    expect(record).toMatchObject({ ruleName: 'drop', fault: 'reset', status: -1 });
    expect((await service.client.sqmSessions()).map((s) => s.header.flags)).toEqual([0x80]);
  });

  it('scenarios/relay-flaky.yaml: 503, then forwarded but reset, then relayed', async () => {
    const file = path.resolve(__dirname, '../../scenarios/relay-flaky.yaml');
    await withRelay({ upstream: service.url, scenario: file }, async (r) => {
      expect((await r.client.scenario()).name).toBe('relay-flaky');
      const body = buildSqmSession({ sections: [DWORDS] });
      const replies = [];
      for (let i = 0; i < 4; i++) replies.push(await rawPost(`${r.relayUrl}${SQM}`, body));
      expect(replies.map((x) => x.status ?? x.error?.code)).toEqual([503, 'ECONNRESET', 200, 200]);
      expect(replies[0].headers?.['retry-after']).toBe('1');
      // The reset upload did reach the service: the client cannot know, and will send it again.
      expect(await service.client.sqmSessions()).toHaveLength(3);
      await r.client.reset();
      expect((await rawPost(`${r.relayUrl}${SQM}`, body)).status).toBe(503);
    });
  });
});

describe('upstream down', () => {
  it('answers 502 and records the error on the forward leg', async () => {
    await withRelay({ upstream: `http://127.0.0.1:${await closedPort()}` }, async (r) => {
      const body = buildSqmSession({ sections: [DWORDS] });
      const reply = await send(`${r.relayUrl}${SQM}`, { body });
      expect(reply.status).toBe(502);
      expect(reply.text).toMatch(/^relay\.upstream: http:\/\/127\.0\.0\.1:\d+\/sqm\/windows\/sqmserver\.dll could not be reached \(ECONNREFUSED/);
      const id = Number(reply.headers.get('x-mock-request-id'));
      const record = (await r.client.request(id)) as { status: number; forward?: ForwardJson };
      expect(record.status).toBe(502);
      expect(record.forward).toMatchObject({ status: null, responseSize: 0, requestSize: body.length + 12 });
      expect(record.forward!.error).toMatch(/^ECONNREFUSED/);
      // What would have gone out is still kept.
      expect(expectValidSession(await r.client.forwardBody(id, 'sent')).header.flags).toBe(0x80);
    });
  });
});

describe('an HTTPS upstream trusted with --upstream-ca', () => {
  const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  const haveOpenssl = openssl.status === 0;
  if (!haveOpenssl) {
    it.skip('skipped: openssl is not on PATH, so no test CA and server certificate can be made', () => {});
    return;
  }
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-tls-'));
    const run = (...args: string[]) => {
      const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
    };
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    run(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=sqm-cer-mock test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
    run('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
    run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** GET on the HTTPS service's admin API, trusting the test CA. */
  const adminGet = (base: string, p: string): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      https
        .get(`${base}/__admin${p}`, { ca: fs.readFileSync(path.join(dir, 'ca.pem')), agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks)));
        })
        .on('error', reject);
    });

  it('relays to the HTTPS service; without the CA the upstream is not trusted (502)', async () => {
    await withMock({ tlsCert: path.join(dir, 'server.pem'), tlsKey: path.join(dir, 'server.key') }, async (tlsService) => {
      expect(tlsService.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const body = buildSqmSession({ sections: [DWORDS] });
      await withRelay({ upstream: tlsService.url, upstreamCa: path.join(dir, 'ca.pem') }, async (r) => {
        const reply = await send(`${r.relayUrl}${SQM}`, { body });
        expect(reply.status).toBe(200);
        const record = (await r.client.request(Number(reply.headers.get('x-mock-request-id')))) as { forward?: ForwardJson };
        expect(record.forward).toMatchObject({ url: `${tlsService.url}${SQM}`, status: 200, error: null });
        const serviceId = Number(record.forward!.responseHeaders!['x-mock-request-id']);
        const received = await adminGet(tlsService.url, `/requests/${serviceId}/body`);
        expect(received.equals(await r.client.forwardBody(Number(reply.headers.get('x-mock-request-id')), 'sent'))).toBe(true);
        const { sessions } = JSON.parse((await adminGet(tlsService.url, '/sqm/sessions')).toString('utf8')) as { sessions: SessionJson[] };
        expect(sessions).toHaveLength(1);
        expectAugmented(sessions[0]);
      });
      await withRelay({ upstream: tlsService.url }, async (r) => {
        const reply = await send(`${r.relayUrl}${SQM}`, { body });
        expect(reply.status).toBe(502);
        const record = (await r.client.request(Number(reply.headers.get('x-mock-request-id')))) as { forward?: ForwardJson };
        expect(record.forward!.error).toMatch(/certificate/i);
      });
    });
  });
});

describe('a body over what the relay buffers (MS-SQMCS 3.3.5: forwarded unchanged, streamed)', () => {
  /** A plain node:http upstream that counts and hashes every byte it gets and answers with them. */
  const counting = async (use: (url: string) => Promise<void>) => {
    const server = http.createServer((req, res) => {
      const hash = createHash('sha256');
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        hash.update(c);
      });
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json', 'x-upstream-length': String(req.headers['content-length'] ?? 'chunked') });
        res.end(JSON.stringify({ size, sha256: hash.digest('hex'), path: req.url }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await use(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
  /** Writes `body` in 1 MiB pieces, with a Content-Length or chunked. */
  const upload = (base: string, body: Buffer, chunked: boolean): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> =>
    new Promise((resolve, reject) => {
      const { hostname, port } = new URL(base);
      const req = http.request({ host: hostname, port, path: SQM + '?big=1', method: 'POST', agent: false, headers: chunked ? {} : { 'content-length': body.length } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      for (let at = 0; at < body.length; at += 1 << 20) req.write(body.subarray(at, at + (1 << 20)));
      req.end();
    });

  // An SQM v1 session in front, so an augmenting relay would have changed it; 22 MiB in all.
  const big = Buffer.concat([buildSqmSession({ sections: [DWORDS] }), Buffer.alloc((22 << 20) - 140, 0x5a)]);

  it.each([
    ['with a Content-Length', false],
    ['chunked', true],
  ])('%s: every byte reaches the upstream unchanged, the answer comes back, the request is recorded whole', async (_name, chunked) => {
    await counting(async (upstream) => {
      await withRelay({ upstream }, async (r) => {
        const reply = await upload(r.relayUrl!, big, chunked);
        expect(reply.status).toBe(201);
        expect(JSON.parse(reply.text)).toEqual({ size: big.length, sha256: sha256(big), path: SQM + '?big=1' });
        expect(reply.headers['x-upstream-length']).toBe(chunked ? 'chunked' : String(big.length));
        const id = Number(reply.headers['x-mock-request-id']);
        const record = (await r.client.request(id)) as { bodySize: number; bodySha256: string; bodyTruncated: boolean; status: number; forward?: ForwardJson };
        expect(record).toMatchObject({ bodySize: big.length, bodySha256: sha256(big), bodyTruncated: true, status: 201 });
        expect(record.forward).toMatchObject({ status: 201, error: null, requestSha256: sha256(big) });
        expect((await r.client.violations({ requestId: id, level: 'all' })).map((v) => [v.rule, v.level])).toEqual([['relay.not-augmented', 'info']]);
      });
    });
  });
});
