'use strict';
// The bench's measurements, each on freshly started servers: a load run against one server,
// start-up time, and one big upload with the server's peak RSS.

const fs = require('node:fs');
const path = require('node:path');
const { startOurs, memoryOf, stop } = require('./children');
const { waitHealthy, postOk, assertCapturedClean } = require('./http-client');
const { runLoad, assertClean } = require('./load');

const UPLOAD_PATH = '/sqm/windows/sqmserver.dll';

/**
 * Starts a server with `start()`, checks the body is accepted cleanly (ours only), warms up, then
 * measures; resolves with the load summary and the server's peak RSS (VmHWM) over the whole run.
 */
async function loadRun({ start, label, body, cfg, validate }) {
  const child = await start();
  try {
    if (validate) {
      await postOk(child.url, UPLOAD_PATH, body);
      await assertCapturedClean(child.url, body.length);
    }
    const url = `${child.url}${UPLOAD_PATH}`;
    const opts = { url, body, connections: cfg.connections, timeoutSeconds: cfg.timeoutSeconds };
    if (cfg.warmupSeconds > 0) assertClean(await runLoad({ ...opts, seconds: cfg.warmupSeconds }), `${label} warm-up`);
    const summary = assertClean(await runLoad({ ...opts, seconds: cfg.seconds }), label);
    return { ...summary, peakRssBytes: memoryOf(child).peakRss };
  } finally {
    await stop(child);
  }
}

/** One start of our server on a new file store: ms from spawn to the listening line and to health 200. */
async function startupOnce(dbFile) {
  const child = await startOurs(dbFile);
  try {
    const healthyAt = await waitHealthy(child.url);
    return { listeningMs: child.listeningMs, healthyMs: healthyAt - child.spawnedAt, child };
  } finally {
    await stop(child);
  }
}

async function startup(dir, runs) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await startupOnce(path.join(dir, `startup-${i}.sqlite`)));
  // With --quiet the listening line must be all that is printed, at start and at shutdown.
  const extraStdout = results.flatMap((r) => r.child.stdoutLines.slice(1));
  return {
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

module.exports = { loadRun, startup, bigUpload, scratchDir, UPLOAD_PATH };
