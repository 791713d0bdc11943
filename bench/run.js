'use strict';
// `npm run bench`: small, 1 MiB and 20 MiB SQM v1 uploads and start-up time of our server against a
// bare node:http baseline, and its peak RSS under 50 concurrent 20 MiB uploads and 30 aborted
// 100 MiB declarations; each server a child process, autocannon in this one. Prints a table with
// the goals and writes bench/results/latest.json. Exit 1 on errors/non-2xx/failed start only.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { smallSession, sizedSession } = require('./bodies');
const { startOurs, startBare, startBareInsert, killAll } = require('./children');
const { loadRun, startup, bigUpload, concurrentUploads, abortedDeclarations, scratchDir } = require('./measure');
const { goals, format, writeJson } = require('./report');
const { runFlows, checkFlow } = require('./v2-flow');
const { UPLOAD_PATH } = require('./measure');
const { stop } = require('./children');

const MiB = 1024 * 1024;
const HUGE_BYTES = 20 * MiB - 1024; // under the default partner limit of 20 MiB for the whole body
const ABORT_DECLARED = 100 * MiB;
const RESULTS = path.join(__dirname, 'results', 'latest.json');
const STEPS = ['startup', 'small', 'mib', 'v2', 'huge', 'memory'];

function config(env = process.env) {
  const num = (name, dflt) => {
    const v = env[name] === undefined || env[name] === '' ? dflt : Number(env[name]);
    if (!Number.isFinite(v) || v < 0) throw new Error(`${name}: expected a number ≥ 0, got "${env[name]}"`);
    return v;
  };
  return {
    seconds: num('BENCH_SECONDS', 10),
    warmupSeconds: num('BENCH_WARMUP_SECONDS', 1),
    connections: num('BENCH_CONNECTIONS', 50),
    timeoutSeconds: num('BENCH_TIMEOUT_SECONDS', 30),
    startupRuns: num('BENCH_STARTUP_RUNS', 5),
    memoryStore: env.BENCH_MEMORY_STORE !== '0',
    uploadsAtOnce: num('BENCH_MEMORY_UPLOADS', 50),
    abortsAtOnce: num('BENCH_MEMORY_ABORTS', 30),
    only: env.BENCH_ONLY ? env.BENCH_ONLY.split(',').map((x) => x.trim()) : STEPS,
    cli: env.BENCH_CLI || undefined,
  };
}

/**
 * Bare first, then bare+INSERT, then each of ours; every server freshly started, each file store in
 * its own directory. `distinct`: every upload a session of another client (no two bodies alike).
 */
async function loadGroup({ name, body, cfg, tmp, withMemory, distinct = false }) {
  const group = {};
  const run = (key, label, start, validate) =>
    loadRun({ start, label: `${name} ${label}`, body, cfg, validate, distinct }).then((s) => {
      group[key] = { label, ...s };
    });
  await run('bare', 'bare node:http', startBare, false);
  await inScratch(tmp, `${name}-insert`, (db) => run('bareInsert', 'bare + INSERT', () => startBareInsert(db), false));
  await inScratch(tmp, `${name}-file`, (db) => run('oursFile', 'ours (file store)', () => startOurs(db), true));
  if (withMemory) await run('oursMemory', 'ours (:memory:)', () => startOurs(':memory:'), true);
  for (const s of Object.values(group)) {
    s.ratio = s.uploadsPerSec / group.bare.uploadsPerSec;
    s.insertRatio = s.uploadsPerSec / group.bareInsert.uploadsPerSec;
    s.cpuPerInsert = s.cpuUsPerUpload / group.bareInsert.cpuUsPerUpload;
  }
  return group;
}

async function bench(cfg, tmp) {
  const small = smallSession();
  const mib = sizedSession(MiB);
  const huge = sizedSession(HUGE_BYTES);
  const step = (what) => process.stderr.write(`bench: ${what}\n`);
  const r = {
    generatedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}` },
    config: cfg,
    bodies: { small: bodyInfo(small), '1 MiB': bodyInfo(mib), '20 MiB': bodyInfo(huge) },
  };
  const want = (name) => cfg.only.includes(name);
  if (want('startup')) {
    step(`start-up × ${cfg.startupRuns}`);
    r.startup = await startup(tmp, cfg.startupRuns);
  }
  if (want('small')) {
    step(`small uploads (${small.body.length} B)`);
    r.small = await loadGroup({ name: 'small', body: small.body, cfg, tmp, withMemory: cfg.memoryStore });
  }
  if (want('mib')) {
    step('1 MiB uploads');
    r.mib = await loadGroup({ name: '1mib', body: mib.body, cfg, tmp, withMemory: false, distinct: true });
  }
  if (want('v2')) {
    step('SQM v2 flows');
    r.v2 = await v2Group(cfg, tmp);
  }
  if (want('huge')) {
    step(`one ${HUGE_BYTES} B upload`);
    r.huge = await inScratch(tmp, 'huge', (db) => bigUpload(db, huge.body));
  }
  if (want('memory')) {
    step(`${cfg.uploadsAtOnce} concurrent ${HUGE_BYTES} B uploads`);
    const uploads = await inScratch(tmp, 'memory-uploads', (db) => concurrentUploads(db, huge.body, cfg.uploadsAtOnce, cfg.cli));
    step(`${cfg.abortsAtOnce} aborted ${ABORT_DECLARED} B declarations`);
    const aborts = await inScratch(tmp, 'memory-aborts', (db) => abortedDeclarations(db, { count: cfg.abortsAtOnce, declared: ABORT_DECLARED, cli: cfg.cli }));
    r.memory = { uploads, aborts };
  }
  r.goals = goals(r);
  return r;
}

const bodyInfo = ({ body, contents }) => ({ bytes: body.length, contents });

/** Runs `fn` with a store file in a new scratch directory, removed after. */
async function inScratch(tmp, name, fn) {
  const scratch = scratchDir(tmp, name);
  try {
    return await fn(scratch.db);
  } finally {
    scratch.dispose();
  }
}

/** requpload → dataupload (2 sessions) flows against the bare server and ours (file store). */
async function v2Group(cfg, tmp) {
  const run = async (start, validate) => {
    const child = await start();
    try {
      if (validate) await checkFlow(child.url, UPLOAD_PATH);
      const opts = { baseUrl: child.url, uploadPath: UPLOAD_PATH, connections: cfg.connections, timeoutSeconds: cfg.timeoutSeconds };
      if (cfg.warmupSeconds > 0) await runFlows({ ...opts, seconds: cfg.warmupSeconds });
      return await runFlows({ ...opts, seconds: cfg.seconds });
    } finally {
      await stop(child);
    }
  };
  const bare = await run(startBare, false);
  const scratch = scratchDir(tmp, 'v2-file');
  try {
    const ours = await run(() => startOurs(scratch.db), true);
    return { bare, ours, ratio: ours.flowsPerSec / bare.flowsPerSec };
  } finally {
    scratch.dispose();
  }
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sqm-bench-'));
  const cleanup = () => {
    killAll();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
  try {
    const r = await bench(config(), tmp);
    process.stdout.write(format(r) + '\n');
    writeJson(RESULTS, r);
    process.stdout.write(`\nwritten: ${path.relative(process.cwd(), RESULTS)}\n`);
  } catch (e) {
    process.stderr.write(`bench failed: ${e.message}\n`);
    process.exitCode = 1;
  } finally {
    killAll();
  }
}

main();
