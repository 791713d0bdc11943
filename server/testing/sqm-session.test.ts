// buildSqmSession against the SQM v1 codec (server/codecs/sqm-session): what it builds by default
// decodes with no error finding, and a forced header field is written as given.

import { decodeSqmSession } from '../codecs/sqm-session/codec';
import { hasErrors } from '../wire/findings';
import { buildSqmSession, buildSqmUpload, type BuildOptions } from './sqm-session';

describe('buildSqmSession', () => {
  it.each<[string, BuildOptions]>([
    ['no sections', {}],
    ['a dword section', { sections: [{ type: 'dword', datapoints: [{ id: 6, value: 7601 }] }] }],
    ['a string section in the windows layout', { sections: [{ type: 'string', layout: 'windows', datapoints: [{ id: 780, value: 'x' }] }] }],
  ])('%s decodes with no error finding', (_name, options) => {
    const r = decodeSqmSession(buildSqmSession(options), { maxRawBytes: 1 << 16 });
    expect(hasErrors(r.findings)).toBe(false);
    expect(r.value!.sections).toHaveLength(options.sections?.length ?? 0);
  });

  it('writes a forced header field as is: a wrong DataChecksum is an error finding', () => {
    const r = decodeSqmSession(buildSqmSession({ header: { dataChecksum: 1 } }), { maxRawBytes: 1 << 16 });
    expect(r.findings.filter((f) => f.level === 'error').map((f) => f.specRef)).toEqual([expect.stringMatching(/^MS-SQMCS/)]);
  });
});

describe('buildSqmUpload', () => {
  it('gives the MS-SQMCS 2.2.1 path of the partner and the session', () => {
    const { path, body } = buildSqmUpload({ partner: 'my app' });
    expect(path).toBe('/sqm/my%20app/sqmserver.dll');
    expect(body.subarray(0, 4).toString('latin1')).toBe('MSQM');
  });
});
