// buildSqmV2Message against the SQM v2 codecs (server/codecs/sqm-v2-message): the framing splits,
// the XML passes the TPXS checks with no finding, and each dataupload's slice is its session.

import { splitMessage } from '../codecs/sqm-v2-message/framing';
import { readPayload, sliceOf } from '../codecs/sqm-v2-message/payload';
import { parseTpxs } from '../codecs/sqm-v2-message/tpxs';
import { argValue } from '../codecs/sqm-v2-message/types';
import { buildCabinet } from './cabinet';
import { buildSqmSession } from './sqm-session';
import { buildSqmV2Message, type SqmV2MessageOptions } from './sqm-v2-message';

const s1 = buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 6, value: 9200 }] }] });
const s2 = buildSqmSession({ sections: [{ type: 'string', datapoints: [{ id: 780, value: 'second' }] }] });

function parse(body: Buffer) {
  const framed = splitMessage(body);
  expect(framed.findings).toEqual([]);
  const tpxs = parseTpxs(framed.value!.xml);
  expect(tpxs.findings).toEqual([]);
  return { request: tpxs.value!, after: framed.value!.payload };
}

const commands: [string, SqmV2MessageOptions, string, Record<string, string>][] = [
  ['requpload', { cmd: 'requpload' }, '1', {}],
  ['qryrsrc', { cmd: 'qryrsrc' }, '1', { name: 'manifest' }],
  ['qryrsrc of another name and key', { cmd: 'qryrsrc', name: 'other', key: 'q' }, 'q', { name: 'other' }],
  ['dataupload', { cmd: 'dataupload', token: 'T', sessions: [s1] }, '1', { token: 'T', size: String(s1.length), offset: '0' }],
];

describe('buildSqmV2Message', () => {
  it.each(commands)('%s parses with no finding', (_name, options, key, args) => {
    const { request } = parse(buildSqmV2Message(options));
    expect(request.reqs).toHaveLength(1);
    expect(request.reqs[0]).toMatchObject({ key, cmd: { nm: options.cmd } });
    for (const [nm, val] of Object.entries(args)) expect(argValue(request.reqs[0].cmd!.args, nm)).toBe(val);
    expect(request.payload !== null).toBe(options.cmd === 'dataupload');
  });

  it('dataupload lays the sessions end to end, one req each, whose slices are the sessions', () => {
    const { request, after } = parse(buildSqmV2Message({ cmd: 'dataupload', token: 'T', sessions: [s1, s2], keys: ['a', 'b'] }));
    const blob = readPayload(request.payload, after, 1 << 20);
    expect(blob.findings).toEqual([]);
    expect(request.reqs.map((r) => r.key)).toEqual(['a', 'b']);
    const taken: [number, number][] = [];
    const slices = request.reqs.map((r) => sliceOf(r.cmd!.args, blob.value!, taken).value!);
    expect(slices).toEqual([
      [0, s1.length],
      [s1.length, s2.length],
    ]);
  });

  it('dataupload with compress: a cabinet payload with comp and precompsize that reads back', () => {
    const { request, after } = parse(buildSqmV2Message({ cmd: 'dataupload', token: 'T', sessions: [s1, s2], compress: (raw) => buildCabinet(raw) }));
    expect(argValue(request.payload!, 'comp')).toBe('cab');
    expect(argValue(request.payload!, 'precompsize')).toBe(String(s1.length + s2.length));
    const blob = readPayload(request.payload, after, 1 << 20);
    expect(blob.findings).toEqual([]);
    expect(blob.value).toMatchObject({ compressed: true });
    expect(blob.value!.bytes.equals(Buffer.concat([s1, s2]))).toBe(true);
  });

  it('namespace, os and ctrl are passed through', () => {
    const { request } = parse(buildSqmV2Message({ cmd: 'requpload', namespace: { app: '7', args: { caid: 'x' } }, os: { vermaj: 10, vermin: 0, verbld: 19045, versp: 0 } }));
    expect(request.reqs[0].namespace).toMatchObject({ app: '7', args: [{ nm: 'caid', val: 'x' }] });
    expect(argValue(request.os, 'verbld')).toBe('19045');
  });
});
