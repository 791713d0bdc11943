// readV2Answer, the reference client's reading of SQM v2 answers: the mock's own answers read back,
// and each way an answer can be unreadable named.

import { buildResponse } from '../protocols/sqm-v2/response';
import { readV2Answer } from './v2-answer';

describe('readV2Answer', () => {
  it('reads the commands the mock writes, by key, args included', () => {
    const xml = buildResponse([
      { key: '1', namespace: null, cmd: { nm: 'approved', token: '3.ab.cd', expires: 5n } },
      { key: 'b', namespace: null, cmd: { nm: 'throttle', period: 7, namespace: 'ptr' } },
      { key: 'c', namespace: null, cmd: { nm: 'none' } },
    ]);
    expect(readV2Answer(xml)).toEqual({
      value: {
        '1': { nm: 'approved', args: { token: '3.ab.cd', tm: '5', tokenexp: '5' } },
        b: { nm: 'throttle', args: { period: '7', namespace: 'ptr' } },
        c: { nm: 'none', args: {} },
      },
    });
  });

  it.each([
    ['not XML', '<resp ver="2"><tlm></resp>', /^not well-formed XML/],
    ['another root', '<req ver="2"/>', /^no <resp ver="2"> root element$/],
    ['another version', '<resp ver="1"><tlm><resps/></tlm></resp>', /^no <resp ver="2">/],
    ['no resp', '<resp ver="2"><tlm><resps></resps></tlm></resp>', /^no <resp key>/],
    ['a resp without cmd', '<resp ver="2"><tlm><resps><resp key="1"/></resps></tlm></resp>', /^a <resp> without its key or its <cmd nm>$/],
  ])('%s: a problem, no value', (_name, xml, problem) => {
    const r = readV2Answer(xml);
    expect(r.value).toBeNull();
    expect(r.problem).toMatch(problem);
  });
});
