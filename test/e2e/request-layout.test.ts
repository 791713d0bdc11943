// GET /__admin/requests/:id/layout over HTTP (the web page's byte ranges), without a browser:
// the 4.1 capture's header fields, a v2 dataupload's slice and session, a WERREPORT's attributes.

import { buildSqmSession, buildSqmV2Message, responseCommands } from '../../server/testing';
import { fixture, win7Capture } from '../helpers/fixtures';
import { useMock } from '../helpers/lifecycle';

const mock = useMock();
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- read and asserted on, as the other e2e tests do
const layout = async (id: number): Promise<any> => (await fetch(`${mock.url}/__admin/requests/${id}/layout`)).json();
const sqm = (body: Buffer) => fetch(`${mock.url}/sqm/windows/sqmserver.dll`, { method: 'POST', body });
const last = async () => (await mock.client.requests()).pop()!.id;

it('the 4.1 capture: StudyIdentifier is bytes 104..107; its session starts at 0', async () => {
  await sqm(win7Capture());
  const l = await layout(await last());
  expect(l).toMatchObject({ protocol: 'sqm-v1', bodySize: 1078, omitted: 0, sessions: [{ bodyOffset: 0 }] });
  expect(l.ranges.find((r: { path: string }) => r.path === 'sessions[0].header.studyIdentifier')).toMatchObject({ label: 'StudyIdentifier', start: 104, end: 108, depth: 1 });
});

it('a v2 dataupload: the slice of its req holds the session; the XML args are where the XML has them', async () => {
  const { token } = responseCommands(await (await sqm(buildSqmV2Message({ cmd: 'requpload' }))).text())['1'].args;
  const body = buildSqmV2Message({ cmd: 'dataupload', token, sessions: [buildSqmSession()] });
  await sqm(body);
  const { ranges } = await layout(await last());
  const at = (path: string) => ranges.find((r: { path: string }) => r.path === path);
  const xmlLength = body.readUInt32LE(0);
  expect(at('payload')).toMatchObject({ start: 4 + xmlLength, end: body.length });
  expect(at('payload.req[1]')).toMatchObject({ start: 4 + xmlLength, end: body.length, depth: 1 });
  expect(at('sessions[0].header')).toMatchObject({ start: 4 + xmlLength, depth: 2 });
  const cmd = ranges.find((r: { label: string; value?: string }) => r.label === 'arg val' && r.value === token);
  expect(body.subarray(cmd.start, cmd.end).toString('utf8')).toBe(token);
});

it('a WERREPORT in UTF-16: each attribute value is its own bytes; an unknown request is a 404', async () => {
  const body = fixture('cer', 'werreport-4.1.xml');
  await fetch(`${mock.url}/stage2.htm`, { method: 'POST', body });
  const { ranges } = await layout(await last());
  const os = ranges.find((r: { path: string }) => r.path === 'xml/WERREPORT/MACHINEINFO@os');
  expect(body.subarray(os.start, os.end).toString('utf16le')).toBe(os.value);
  expect(ranges[0]).toMatchObject({ label: 'Byte order mark', start: 0, end: 2 });
  expect((await fetch(`${mock.url}/__admin/requests/999/layout`)).status).toBe(404);
});
