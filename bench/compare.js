'use strict';
// `node bench/compare.js --base <checkout>`: our server at this checkout against another build of it
// (a checkout with dist/ built), in interleaved runs on fresh servers, for what a change may cost:
// small SQM v1 uploads from a new client each time (what real fleets send), the same session again
// and again (a resend on every upload: the conversation checks' worst case), and SQM v2 flows.
// Prints medians of uploads/s and of CPU per upload (from /proc: stable on a noisy machine, where
// uploads/s is not). `--pairs N` (default 5), `--seconds S` (default 8), `--only small-distinct,v2`.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');
const { smallSession } = require('./bodies');
const { startOurs, cpuSecondsOf, threadCpuSecondsOf, stop, killAll } = require('./children');
const { runFlows } = require('./v2-flow');
const { BenchError } = require('./errors');
const { distinctSessions } = require('./load');

const UPLOAD_PATH = '/sqm/windows/sqmserver.dll';

function args(argv) {
  const out = { pairs: 5, seconds: 8, connections: 50, only: null, base: null };
  for (let i = 0; i < argv.length; i++) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--base') out.base = path.resolve(v);
    else if (k === '--pairs') out.pairs = Number(v);
    else if (k === '--seconds') out.seconds = Number(v);
    else if (k === '--connections') out.connections = Number(v);
    else if (k === '--only') out.only = v.split(',');
    else throw new BenchError(`unknown argument ${k} (want --base DIR, --pairs N, --seconds S, --connections C, --only LIST)`);
    i++;
  }
  if (!out.base) throw new BenchError('--base <checkout with dist/ built> is required');
  return out;
}

async function uploads(url, body, seconds, connections, vary) {
  const r = await autocannon({
    url,
    connections,
    pipelining: 1,
    duration: seconds,
    requests: [{ method: 'POST', path: UPLOAD_PATH, body, ...(vary ? { setupRequest: distinctSessions(body) } : {}) }],
  });
  if (r.non2xx > 0 || r.errors > 0) throw new BenchError(`${r.non2xx} non-2xx, ${r.errors} errors`);
  return { ok: r['2xx'], perSec: r['2xx'] / r.duration, p99: r.latency.p99 };
}

const WORKLOADS = {
  'small-distinct': (url, c) => uploads(url, smallSession().body, c.seconds, c.connections, true),
  'small-same': (url, c) => uploads(url, smallSession().body, c.seconds, c.connections, false),
  v2: async (url, c) => {
    const f = await runFlows({ baseUrl: url, uploadPath: UPLOAD_PATH, seconds: c.seconds, connections: c.connections });
    return { ok: f.flowsPerSec * c.seconds, perSec: f.flowsPerSec, p99: f.latencyMs.p99 };
  },
};

async function once(cli, workload, cfg, tmp, n) {
  const db = path.join(tmp, `${n}.sqlite`);
  const child = await startOurs(db, cli);
  try {
    await WORKLOADS[workload](child.url, { ...cfg, seconds: 1 });
    const cpu0 = cpuSecondsOf(child);
    const threads0 = threadCpuSecondsOf(child);
    const r = await WORKLOADS[workload](child.url, cfg);
    const cpu = cpuSecondsOf(child) - cpu0;
    const mainCpu = threadCpuSecondsOf(child).main - threads0.main;
    return { ...r, cpuUsPerUpload: (cpu * 1e6) / r.ok, mainCpuUsPerUpload: (mainCpu * 1e6) / r.ok };
  } finally {
    await stop(child);
    for (const f of fs.readdirSync(tmp)) if (f.startsWith(`${n}.`)) fs.rmSync(path.join(tmp, f), { force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const cfg = args(process.argv.slice(2));
  const builds = { base: path.join(cfg.base, 'dist', 'server', 'cli.js'), head: path.resolve(__dirname, '..', 'dist', 'server', 'cli.js') };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sqm-compare-'));
  const rows = [];
  try {
    for (const w of cfg.only ?? Object.keys(WORKLOADS)) {
      const runs = { base: [], head: [] };
      for (let p = 0; p < cfg.pairs; p++) {
        // Alternate which build goes first, so a drift in the machine's load hits both alike.
        for (const b of p % 2 ? ['head', 'base'] : ['base', 'head']) {
          const r = await once(builds[b], w, cfg, tmp, `${w}-${b}-${p}`);
          runs[b].push(r);
          process.stderr.write(
            `compare: ${w} ${b} #${p + 1}: ${r.perSec.toFixed(0)}/s, ${r.cpuUsPerUpload.toFixed(0)} µs CPU each (main thread ${r.mainCpuUsPerUpload.toFixed(0)})\n`,
          );
        }
      }
      const m = (b, k) => median(runs[b].map((r) => r[k]));
      rows.push({
        workload: w,
        basePerSec: m('base', 'perSec'),
        headPerSec: m('head', 'perSec'),
        ratio: m('head', 'perSec') / m('base', 'perSec'),
        pairRatios: runs.head.map((r, i) => r.perSec / runs.base[i].perSec),
        baseCpuUs: m('base', 'cpuUsPerUpload'),
        headCpuUs: m('head', 'cpuUsPerUpload'),
        baseMainUs: m('base', 'mainCpuUsPerUpload'),
        headMainUs: m('head', 'mainCpuUsPerUpload'),
        headP99: m('head', 'p99'),
      });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log('| workload | base /s | head /s | head ÷ base (median; per pair) | CPU µs per upload base → head | of which main thread | head p99 ms |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const pairs = r.pairRatios.map((x) => x.toFixed(2)).join(' ');
    console.log(
      `| ${r.workload} | ${r.basePerSec.toFixed(0)} | ${r.headPerSec.toFixed(0)} | ${r.ratio.toFixed(2)}× (${pairs}) | ${r.baseCpuUs.toFixed(0)} → ${r.headCpuUs.toFixed(0)} | ${r.baseMainUs.toFixed(0)} → ${r.headMainUs.toFixed(0)} | ${r.headP99} |`,
    );
  }
}

main().catch((e) => {
  killAll();
  console.error(e instanceof BenchError ? `compare: ${e.message}` : e);
  process.exit(1);
});
