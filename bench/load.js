'use strict';
// One autocannon load run (programmatic API, in this process) of POSTs of one body, summarised as
// uploads/s (2xx only) and latency; any error, timeout or non-2xx answer is a BenchError.

const autocannon = require('autocannon');
const { BenchError } = require('./errors');

/** ClientUniqueIdentifier (MS-SQMCS 2.2.4.1): bytes 72..87 of a session, outside both checksums. */
const CLIENT_ID_OFFSET = 72;

/** Each request a copy of `body` with a new ClientUniqueIdentifier (a counter in its last 4 bytes). */
function distinctSessions(body) {
  let n = 0;
  return (req) => {
    const b = Buffer.from(body);
    b.writeUInt32LE(++n, CLIENT_ID_OFFSET + 12);
    return { ...req, body: b };
  };
}

/**
 * @example await runLoad({ url: 'http://127.0.0.1:8080/sqm/windows/sqmserver.dll', body, seconds: 10, connections: 50 })
 * A request unanswered after `timeoutSeconds` counts as an error (a timeout). `distinct`: every
 * request a session of another client (no two bodies alike, as a fleet sends them).
 */
async function runLoad({ url, body, seconds, connections, timeoutSeconds = 30, distinct = false }) {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body,
    ...(distinct ? { requests: [{ setupRequest: distinctSessions(body) }] } : {}),
    connections,
    pipelining: 1,
    duration: seconds,
    // autocannon's default of 10 s would turn a slow answer into an error; it is latency (see max).
    timeout: timeoutSeconds,
  });
  return summarise(result);
}

function summarise(r) {
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, Number(s.count)]));
  return {
    uploadsPerSec: r['2xx'] / r.duration,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    durationSec: r.duration,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
  };
}

/** Throws unless every request got a 2xx answer and nothing errored. */
function assertClean(summary, label) {
  const { ok, non2xx, errors, timeouts, statusCodes } = summary;
  if (non2xx === 0 && errors === 0 && ok > 0) return summary;
  throw new BenchError(`${label}: ${ok} 2xx, ${non2xx} non-2xx, ${errors} errors (${timeouts} timeouts); status codes ${JSON.stringify(statusCodes)}`);
}

module.exports = { runLoad, assertClean, distinctSessions };
