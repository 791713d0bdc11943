'use strict';
// The SQM v2 flow for the bench (MS-SQMCS2 3.1.5): requpload → approved token → dataupload of a
// message carrying two sessions → two receipts. One flow = two requests on one connection.

const path = require('node:path');
const autocannon = require('autocannon');
const { BenchError } = require('./errors');

const TESTING = path.resolve(__dirname, '..', 'dist', 'server', 'testing', 'index.js');
const PLACEHOLDER = '3.' + '0'.repeat(32) + '.' + '0'.repeat(16); // a token's exact length (52)

function messages() {
  const { buildV2Message, buildSqmSession } = require(TESTING);
  const session = (n) => buildSqmSession({ sections: [{ type: 'dword', datapoints: Array.from({ length: 12 }, (_, i) => ({ id: n * 100 + i, value: i })) }] });
  const [s1, s2] = [session(1), session(2)];
  const upload = (key, s, offset) => ({ key, cmd: 'dataupload', cmdArgs: { tm: '129579283005582927', token: PLACEHOLDER, size: s.length, offset } });
  const data = buildV2Message({ payload: Buffer.concat([s1, s2]), reqs: [upload('1', s1, 0), upload('2', s2, s1.length)] });
  const request = buildV2Message({ reqs: [{ key: '1', cmd: 'requpload' }] });
  const at = [];
  for (let i = data.indexOf(PLACEHOLDER); i >= 0; i = data.indexOf(PLACEHOLDER, i + 1)) at.push(i);
  /** The dataupload message with `token` written over the placeholder (same length, so the framing holds). */
  const withToken = (token) => {
    const out = Buffer.from(data);
    if (token && token.length === PLACEHOLDER.length) for (const i of at) out.write(token, i, 'latin1');
    return out;
  };
  return { request, withToken, contents: `requpload, then dataupload of 2 sessions (${s1.length} + ${s2.length} B) in one ${data.length}-byte message` };
}

const tokenOf = (xml) => /nm="token" val="([^"]+)"/.exec(xml)?.[1];

/** Runs flows for `seconds`; resolves with flows/s and latency of each request. */
async function runFlows({ baseUrl, uploadPath, seconds, connections, timeoutSeconds = 30 }) {
  const m = messages();
  const result = await autocannon({
    url: baseUrl,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: timeoutSeconds,
    requests: [
      {
        method: 'POST',
        path: uploadPath,
        body: m.request,
        onResponse: (status, body, context) => {
          context.token = tokenOf(String(body));
        },
      },
      { method: 'POST', path: uploadPath, setupRequest: (req, context) => ({ ...req, body: m.withToken(context.token) }) },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) throw new BenchError(`v2 flows: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    flowsPerSec: result['2xx'] / 2 / result.duration,
    requestsPerSec: result['2xx'] / result.duration,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    contents: m.contents,
  };
}

/** One flow by hand against our server: both sessions must get receipts. */
async function checkFlow(baseUrl, uploadPath) {
  const m = messages();
  const post = async (body) => (await fetch(baseUrl + uploadPath, { method: 'POST', body })).text();
  const token = tokenOf(await post(m.request));
  if (!token) throw new BenchError('v2 flow: requpload was not approved');
  const answer = await post(m.withToken(token));
  const receipts = (answer.match(/<cmd nm="receipt">/g) ?? []).length;
  if (receipts !== 2) throw new BenchError(`v2 flow: expected 2 receipts, got: ${answer.slice(0, 300)}`);
}

module.exports = { runFlows, checkFlow };
