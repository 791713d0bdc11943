// The A-SQM manifest download handler (MS-SQMCS 3.2.5.6) on plain requests: the package for a
// partner's version, path forms, HEAD, 404s for unknown partners and versions, and a rule's answer.

import { MemoryConversation } from '../../conversation';
import { handlerContext, removeTempDirs, text, wireRequest } from '../../../test/helpers/handler-context';
import { manifestBytesFor } from './authoring';
import { decodeManifestPackage } from './codec';
import { manifestRoute } from './route';

const MANIFEST = { version: 7, expires: '2030-01-01T00:00:00Z', propertySets: [{ name: 'settings', properties: { Upload: '1' } }] };
const SCENARIO = { partners: { windows: { manifest: MANIFEST }, office: null } };
const run = async (url: string, scenario: unknown = SCENARIO, method = 'GET') =>
  manifestRoute.handle(wireRequest({ method, url }), handlerContext(scenario), new MemoryConversation());

afterAll(removeTempDirs);

describe('asqm-manifest: the package', () => {
  it('200 application/octet-stream: the package for the partner and version, PartnerName from the URL', async () => {
    const o = await run('/sqm/windows/manifests/Sqm7.bin');
    expect(o).toMatchObject({ protocol: 'asqm-manifest', partner: 'windows', ruleName: null, answer: { status: 200, headers: { 'content-type': 'application/octet-stream' } } });
    expect(o.answer.body).toEqual(manifestBytesFor(MANIFEST, { partner: 'windows', version: 7 }));
    const decoded = decodeManifestPackage(o.answer.body);
    expect(decoded.findings.filter((f) => f.level !== 'info')).toEqual([]);
    expect(decoded.value!.header).toMatchObject({ version: 7, partnerName: 'windows' });
    expect([o.rows ?? [], o.findings ?? []]).toEqual([[], []]);
  });

  it.each([
    ['without /sqm', '/windows/manifests/sqm7.bin'],
    ['in any case, with a query', '/SQM/windows/MANIFESTS/SQM7.BIN?x=1'],
  ])('the path %s serves the same package', async (_n, url) => {
    const o = await run(url);
    expect(o.answer.status).toBe(200);
    expect(o.answer.body).toEqual(manifestBytesFor(MANIFEST, { partner: 'windows', version: 7 }));
  });

  it('HEAD: 200 with the type, no body', async () => {
    const o = await run('/sqm/windows/manifests/Sqm7.bin', SCENARIO, 'HEAD');
    expect(o.answer).toMatchObject({ status: 200, headers: { 'content-type': 'application/octet-stream' } });
    expect(o.answer.body.length).toBe(0);
  });

  it('a raw manifest is served byte for byte', async () => {
    const raw = Buffer.from('any bytes at all');
    const o = await run('/sqm/lab/manifests/Sqm3.bin', { partners: { lab: { manifest: { version: 3, raw: raw.toString('base64') } } } });
    expect(o.answer.body).toEqual(raw);
  });
});

describe('asqm-manifest: 404 asqm-manifest.not-found', () => {
  it.each<[string, string, unknown]>([
    ['another version', '/sqm/windows/manifests/Sqm8.bin', SCENARIO],
    ['a listed partner without a manifest', '/sqm/office/manifests/Sqm7.bin', SCENARIO],
    ['a partner the scenario does not list', '/sqm/games/manifests/Sqm7.bin', SCENARIO],
    ['no partners in the scenario at all', '/sqm/windows/manifests/Sqm7.bin', {}],
    ['a partner named like an Object member', '/sqm/constructor/manifests/Sqm7.bin', SCENARIO],
  ])('%s', async (_n, url, scenario) => {
    const o = await run(url, scenario);
    expect(o.answer.status).toBe(404);
    expect(o.answer.reason).toMatch(/^asqm-manifest\.not-found: /);
    expect(o.ruleName ?? null).toBeNull();
  });

  it('the partner is the percent-decoded segment', async () => {
    const o = await run('/sqm/my%20lab/manifests/Sqm7.bin', { partners: { 'my lab': { manifest: { version: 7 } } } });
    expect([o.partner, o.answer.status]).toEqual(['my lab', 200]);
  });
});

describe('asqm-manifest: a rule', () => {
  it.each<[string, object, number, string | undefined, string | undefined]>([
    ['503 with a body', { status: 503, body: 'maintenance' }, 503, 'text/plain; charset=utf-8', 'scenario answered 503'],
    ['200 with its own body and type', { body: 'MZ', headers: { 'Content-Type': 'application/x-msdownload' } }, 200, undefined, undefined],
  ])('plain answer %s replaces the package', async (_n, respond, status, contentType, reason) => {
    const o = await run('/sqm/windows/manifests/Sqm7.bin', { ...SCENARIO, rules: [{ name: 'plain', when: { protocol: 'asqm-manifest', partner: 'windows' }, respond }] });
    expect(o).toMatchObject({ ruleName: 'plain', answer: { status, reason } });
    expect(o.answer.headers['content-type']).toBe(contentType);
    expect(text(o)).toBe((respond as { body?: string }).body);
  });

  it('a rule that only delays keeps the package, or the 404, and names itself', async () => {
    const scenario = { ...SCENARIO, rules: [{ name: 'slow', respond: { delayMs: 15 } }] };
    expect(await run('/sqm/windows/manifests/Sqm7.bin', scenario)).toMatchObject({ ruleName: 'slow', delivery: { delayMs: 15 }, answer: { status: 200 } });
    expect(await run('/sqm/windows/manifests/Sqm9.bin', scenario)).toMatchObject({ ruleName: 'slow', answer: { status: 404 } });
  });
});

describe('manifestRoute', () => {
  it.each([
    ['GET', '/sqm/windows/manifests/Sqm7.bin', true],
    ['HEAD', '/windows/manifests/sqm7.bin', true],
    ['POST', '/sqm/windows/manifests/Sqm7.bin', false],
    ['GET', '/sqm/windows/manifests/Sqm.bin', false],
    ['GET', '/sqm/windows/sqmserver.dll', false],
  ])('claims %s %s: %s', (method, url, yes) => {
    expect(manifestRoute.claims(wireRequest({ method, url }))).toBe(yes);
  });
});
