// A-SQM manifests end to end (MS-SQMCS 2.2.6, 3.1.5.3, 3.2.5.4): announced by SQM v1 (201
// ManifestVersion) and v2 (qryrsrc → rsrc), served by GET, refused when invalid.

import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { decodeManifestPackage } from '../../server/protocols/asqm-manifest';
import { buildSqmSession, buildV2Message, responseCommands } from '../../server/testing';
import { send } from '../helpers/http';
import { useMock } from '../helpers/lifecycle';

const manifest = YAML.parse(fs.readFileSync(path.join(__dirname, '../fixtures/asqm-manifest/two-rules.yaml'), 'utf8'));
const mock = useMock({ scenario: { partners: { windows: { manifest } } } });

it('v1 with bit 0x8 gets 201 ManifestVersion, and GET serves that version', async () => {
  const res = await send(`${mock.url}/sqm/windows/sqmserver.dll`, { body: buildSqmSession({ header: { internalFlags: 0x8, manifestVersion: 3 } }) });
  expect(res.status).toBe(201);
  const version = /ManifestVersion:"(\d+)"/.exec(res.text)![1];
  expect(Number(version)).toBe(manifest.version);
  const got = await send(`${mock.url}/sqm/windows/manifests/Sqm${version}.bin`, { method: 'GET' });
  expect(got.status).toBe(200);
  const decoded = decodeManifestPackage(got.body);
  expect(decoded.findings.filter((f) => f.level === 'error')).toEqual([]);
  expect(decoded.value!.header.version).toBe(manifest.version);
  // Note <9>'s form without /sqm, and lower case, serve the same bytes.
  const alt = await send(`${mock.url}/windows/manifests/sqm${version}.bin`, { method: 'GET' });
  expect(alt.body.equals(got.body)).toBe(true);
  const [r] = await mock.client.requests({ protocol: 'asqm-manifest' });
  expect(r).toMatchObject({ method: 'GET', status: 200, partner: 'windows' });
});

it('v2 qryrsrc gets rsrc whose path GETs the same bytes', async () => {
  const res = await send(`${mock.url}/sqm/windows/sqmserver.dll`, { body: buildV2Message({ reqs: [{ key: '1', cmd: 'qryrsrc', cmdArgs: { name: 'manifest' } }] }) });
  const cmd = responseCommands(res.text)['1'];
  expect(cmd).toMatchObject({ nm: 'rsrc', args: { ver: String(manifest.version) } });
  const viaPath = await send(`${mock.url}/${cmd.args.path}`, { method: 'GET' });
  const direct = await send(`${mock.url}/sqm/windows/manifests/Sqm${manifest.version}.bin`, { method: 'GET' });
  expect(viaPath.status).toBe(200);
  expect(viaPath.body.equals(direct.body)).toBe(true);
});

it('unknown partner or version gets 404', async () => {
  expect((await send(`${mock.url}/sqm/windows/manifests/Sqm999.bin`, { method: 'GET' })).status).toBe(404);
  expect((await send(`${mock.url}/sqm/office/manifests/Sqm${manifest.version}.bin`, { method: 'GET' })).status).toBe(404);
});

it('an invalid manifest in a scenario is refused with the path of the bad field', async () => {
  const bad = { partners: { windows: { manifest: { ...manifest, rules: [{ ...manifest.rules[0], clauses: [{ ...manifest.rules[0].clauses[0], op: 'dwordSort' }] }] } } } };
  await expect(mock.client.setScenario(bad)).rejects.toThrow(/partners\.windows\.manifest\.rules\[0\]\.clauses\[0\]\.op/);
});
