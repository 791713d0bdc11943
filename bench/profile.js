'use strict';
// `node bench/profile.js [--workload small-distinct|small-same|mib|v2] [--seconds S] [--top N] [--cli FILE]`:
// runs our server (dist/server/cli.js) under `node --cpu-prof` with one load run, stops it, and
// prints the top functions by self time of each thread (main and the capture writer), as shares
// of that thread's samples. Raw `.cpuprofile` files stay in the printed folder for Chrome DevTools.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');
const { smallSession, sizedSession } = require('./bodies');
const { startChild, stop, killAll } = require('./children');
const { runFlows } = require('./v2-flow');
const { BenchError } = require('./errors');
const { distinctSessions } = require('./load');

const ROOT = path.resolve(__dirname, '..');
const UPLOAD_PATH = '/sqm/windows/sqmserver.dll';

function args(argv) {
  const out = { workload: 'small-distinct', seconds: 8, top: 10, connections: 50, cli: path.join(ROOT, 'dist', 'server', 'cli.js') };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--workload') out.workload = v;
    else if (k === '--seconds') out.seconds = Number(v);
    else if (k === '--top') out.top = Number(v);
    else if (k === '--connections') out.connections = Number(v);
    else if (k === '--cli') out.cli = path.resolve(v);
    else throw new BenchError(`unknown argument ${k} (want --workload W, --seconds S, --top N, --connections C, --cli FILE)`);
  }
  return out;
}

function upload(body, distinct) {
  const vary = distinctSessions(body);
  return (url, cfg) =>
    autocannon({
      url,
      connections: cfg.connections,
      pipelining: 1,
      duration: cfg.seconds,
      timeout: 30,
      requests: [{ method: 'POST', path: UPLOAD_PATH, body, ...(distinct ? { setupRequest: vary } : {}) }],
    }).then((r) => `${Math.round(r['2xx'] / r.duration)} uploads/s, ${r.non2xx} non-2xx, ${r.errors} errors`);
}

const WORKLOADS = {
  'small-distinct': upload(smallSession().body, true),
  'small-same': upload(smallSession().body, false),
  mib: (url, cfg) => upload(sizedSession(1024 * 1024).body, true)(url, { ...cfg, connections: Math.min(cfg.connections, 10) }),
  v2: (url, cfg) => runFlows({ baseUrl: url, uploadPath: UPLOAD_PATH, seconds: cfg.seconds, connections: cfg.connections }).then((f) => `${Math.round(f.flowsPerSec)} flows/s`),
};

/** Self time per function of one .cpuprofile, largest first. */
function topFunctions(profile, top) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  let total = 0;
  for (const [id, us] of dt) {
    const f = byId.get(id).callFrame;
    const file = f.url ? f.url.replace(/^file:\/\//, '').replace(/^.*?\/(dist|node_modules)\//, '$1/') : '';
    const key = `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  }
  const idle = ['(idle)', '(program)'].reduce((s, k) => s + (self.get(k) ?? 0), 0);
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { total, idle, rows };
}

async function main() {
  const cfg = args(process.argv.slice(2));
  if (!WORKLOADS[cfg.workload]) throw new BenchError(`unknown workload ${cfg.workload} (want ${Object.keys(WORKLOADS).join(', ')})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqm-profile-'));
  const { cli } = cfg;
  const child = await startChild({
    label: 'ours (profiled)',
    args: ['--cpu-prof', '--cpu-prof-dir', dir, cli, '--port', '0', '--db', path.join(dir, 'store.sqlite'), '--quiet'],
  });
  let result;
  try {
    await WORKLOADS[cfg.workload](child.url, { ...cfg, seconds: 1 });
    result = await WORKLOADS[cfg.workload](child.url, cfg);
  } finally {
    await stop(child, 20_000);
  }
  console.log(`${cfg.workload}, ${cfg.seconds} s: ${result}; profiles in ${dir}`);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  for (const f of files) {
    const { total, idle, rows } = topFunctions(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')), cfg.top);
    console.log(`\n${f}: ${(total / 1e6).toFixed(1)} s sampled, ${((100 * idle) / total).toFixed(0)} % idle/program`);
    for (const [name, us] of rows) console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${name}`);
  }
}

main().catch((e) => {
  killAll();
  console.error(e instanceof BenchError ? `profile: ${e.message}` : e);
  process.exit(1);
});
