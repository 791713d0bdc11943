'use strict';
// The bench's measurements, each on freshly started servers: a load run against one server,
// start-up time, one big upload with the server's peak RSS, and peak RSS under many big or
// aborted uploads at once.

const fs = require('node:fs');
const path = require('node:path');
const { startOurs, memoryOf, cpuSecondsOf, stop } = require('./children');
const { createHash } = require('node:crypto');
const net = require('node:net');
const { waitHealthy, postOk, assertCapturedClean, request, getJson } = require('./http-client');
const { runLoad, assertClean } = require('./load');

const UPLOAD_PATH = '/sqm/windows/sqmserver.dll';

/**
 * Starts a server with `start()`, checks the body is accepted cleanly (ours only), warms up, then
 * measures; resolves with the load summary and the server's peak RSS (VmHWM) over the whole run.
 */
async function loadRun({ start, label, body, cfg, validate, distinct = false }) {
  const child = await start();
  try {
    if (validate) {
      await postOk(child.url, UPLOAD_PATH, body);
      await assertCapturedClean(child.url, body.length);
    }
    const url = `${child.url}${UPLOAD_PATH}`;
    const opts = { url, body, connections: cfg.connections, timeoutSeconds: cfg.timeoutSeconds, distinct };
    if (cfg.warmupSeconds > 0) assertClean(await runLoad({ ...opts, seconds: cfg.warmupSeconds }), `${label} warm-up`);
    const cpu0 = cpuSecondsOf(child);
    const summary = assertClean(await runLoad({ ...opts, seconds: cfg.seconds }), label);
    // CPU of the server process (all its threads) per answered upload: steadier than uploads/s on a busy machine.
    const cpuUsPerUpload = ((cpuSecondsOf(child) - cpu0) * 1e6) / summary.ok;
    return { ...summary, cpuUsPerUpload, peakRssBytes: memoryOf(child).peakRss };
  } finally {
    await stop(child);
  }
}

/** One start of our server on a new file store: ms from spawn to the listening line and to health 200. */
async function startupOnce(dbFile, env, holdMs = 0) {
  const child = await startOurs(dbFile, undefined, env);
  try {
    const healthyAt = await waitHealthy(child.url);
    if (holdMs) await new Promise((r) => setTimeout(r, holdMs));
    return { listeningMs: child.listeningMs, healthyMs: healthyAt - child.spawnedAt, child };
  } finally {
    await stop(child);
  }
}

/**
 * Start-up times. The bin keeps V8's code cache in the temp folder and writes it a second after a
 * start that had none (server/launch/code-cache.ts): the first start, in a temp folder of its own,
 * has none and stays 1.5 s so that it writes it; the measured starts that follow use it, as every
 * start but the first after an install or a build does.
 */
async function startup(dir, runs) {
  const tmpdir = path.join(dir, 'startup-tmp');
  fs.mkdirSync(tmpdir, { recursive: true });
  const env = { ...process.env, TMPDIR: tmpdir };
  delete env.NODE_DISABLE_COMPILE_CACHE;
  const first = await startupOnce(path.join(dir, 'startup-first.sqlite'), env, 1500);
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await startupOnce(path.join(dir, `startup-${i}.sqlite`), env));
  // With --quiet the listening line must be all that is printed, at start and at shutdown.
  const extraStdout = [first, ...results].flatMap((r) => r.child.stdoutLines.slice(1));
  return {
    first: { listeningMs: first.listeningMs, healthyMs: first.healthyMs },
    runs: results.map(({ listeningMs, healthyMs }) => ({ listeningMs, healthyMs })),
    listeningMsMedian: median(results.map((r) => r.listeningMs)),
    healthyMsMedian: median(results.map((r) => r.healthyMs)),
    quietStdoutOk: extraStdout.length === 0,
    extraStdout,
  };
}

/** POSTs `body` once to a fresh server on a new file store; time to the 200 and peak RSS. */
async function bigUpload(dbFile, body) {
  const child = await startOurs(dbFile);
  try {
    const idleRss = memoryOf(child).rss;
    const res = await postOk(child.url, UPLOAD_PATH, body);
    const { peakRss } = memoryOf(child); // before the admin queries below can add to it
    await assertCapturedClean(child.url, body.length);
    return { ms: res.ms, bodyBytes: body.length, idleRssBytes: idleRss, peakRssBytes: peakRss, rssPerBody: peakRss / body.length };
  } finally {
    await stop(child);
  }
}

/**
 * `count` concurrent POSTs of `body` (each on its own connection) to a fresh server: every one must
 * be answered 200 and found in the store whole (bodySize and sha256, via the admin API); peak RSS.
 */
async function concurrentUploads(dbFile, body, count, cli) {
  const child = await startOurs(dbFile, cli);
  try {
    const idleRss = memoryOf(child).rss;
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: count }, () => request(`${child.url}${UPLOAD_PATH}`, { method: 'POST', body })));
    const ms = performance.now() - started;
    const { peakRss } = memoryOf(child); // before the admin queries below can add to it
    const statuses = countBy(answers.map((a) => a.status));
    const sha = createHash('sha256').update(body).digest('hex');
    const { requests } = await getJson(`${child.url}/__admin/requests?protocol=sqm-v1&limit=${count * 2}`);
    const whole = requests.filter((r) => r.bodySize === body.length && r.bodySha256 === sha).length;
    return { count, bodyBytes: body.length, ms, statuses, acknowledged: statuses[200] ?? 0, storedWhole: whole, idleRssBytes: idleRss, peakRssBytes: peakRss };
  } finally {
    await stop(child);
  }
}

/**
 * `count` clients each declare `declared` bytes in a level-2 PUT (the route with the largest body
 * limit, 100 MiB), send one byte and hold the connection; health is timed while they hold, then they
 * go away. Peak RSS once every aborted request is captured.
 */
async function abortedDeclarations(dbFile, { count, declared, cli }) {
  const child = await startOurs(dbFile, cli);
  const { port, hostname } = new URL(child.url);
  const sockets = [];
  try {
    const idleRss = memoryOf(child).rss;
    for (let i = 0; i < count; i++) {
      const socket = net.connect(Number(port), hostname);
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(`PUT /PersistedCabs/APPCRASH/100/bench-${i}.cab HTTP/1.1\r\nHost: ${hostname}\r\nContent-Length: ${declared}\r\n\r\nx`);
      sockets.push(socket);
    }
    await new Promise((r) => setTimeout(r, 300)); // let every byte arrive
    const health = await request(`${child.url}/__admin/health`);
    for (const s of sockets) s.destroy();
    const captured = await waitForCount(child.url, 'protocol=cer-level2', count);
    const { peakRss } = memoryOf(child);
    return { count, declaredBytes: declared, healthMs: health.ms, healthStatus: health.status, captured, idleRssBytes: idleRss, peakRssBytes: peakRss };
  } finally {
    for (const s of sockets) s.destroy();
    await stop(child);
  }
}

/** Polls the admin API until `count` requests match `query` (or 30 s pass); resolves with the count seen. */
async function waitForCount(base, query, count) {
  const deadline = performance.now() + 30_000;
  for (;;) {
    const { requests } = await getJson(`${base}/__admin/requests?${query}&limit=${count * 2}`);
    if (requests.length >= count || performance.now() > deadline) return requests.length;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const countBy = (xs) => xs.reduce((acc, x) => ({ ...acc, [x]: (acc[x] ?? 0) + 1 }), {});

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** A new empty directory under `root` for one server's store; removed by `dispose()`. */
function scratchDir(root, name) {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  return { dir, db: path.join(dir, 'capture.sqlite'), dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

module.exports = { loadRun, startup, bigUpload, concurrentUploads, abortedDeclarations, scratchDir, UPLOAD_PATH };
