'use strict';
// Small node:http helpers for the bench's single requests: one POST timed to its answer, GET JSON,
// and polling /__admin/health until it answers 200.

const http = require('node:http');
const { BenchError } = require('./errors');

/** One request on a fresh connection; resolves with status, body and ms from send to the last byte. */
function request(url, { method = 'GET', body } = {}) {
  return new Promise((resolve, reject) => {
    const headers = body ? { 'content-type': 'application/octet-stream', 'content-length': body.length } : {};
    const started = performance.now();
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function getJson(url) {
  const res = await request(url);
  if (res.status !== 200) throw new BenchError(`GET ${url} answered ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`);
  return JSON.parse(res.body.toString('utf8'));
}

/** Polls GET <base>/__admin/health every `everyMs` until it answers 200; resolves with performance.now(). */
async function waitHealthy(base, { timeoutMs = 10_000, everyMs = 2 } = {}) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const ok = await request(`${base}/__admin/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return performance.now();
    if (performance.now() > deadline) throw new BenchError(`${base}/__admin/health did not answer 200 within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** POSTs one upload and throws unless it is answered 200; resolves with the request's timing. */
async function postOk(base, path, body) {
  const res = await request(`${base}${path}`, { method: 'POST', body });
  if (res.status !== 200) throw new BenchError(`POST ${path} (${body.length} B) answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
  return res;
}

/** Checks the mock's last capture has `bodySize` bytes and that no findings were recorded at all. */
async function assertCapturedClean(base, bodySize) {
  const [last] = (await getJson(`${base}/__admin/requests?limit=1`)).requests;
  if (!last || last.bodySize !== bodySize) throw new BenchError(`the last capture shows bodySize ${last?.bodySize}, sent ${bodySize}`);
  const { violations } = await getJson(`${base}/__admin/violations`);
  if (violations.length > 0) throw new BenchError(`the bench session has findings: ${JSON.stringify(violations.slice(0, 3))}`);
  return last;
}

module.exports = { request, getJson, waitHealthy, postOk, assertCapturedClean };
