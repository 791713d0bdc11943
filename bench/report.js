'use strict';
// Turns the bench's figures into goal verdicts (the goals of the performance issue), a printed
// table, and bench/results/latest.json with the same figures.

const fs = require('node:fs');
const path = require('node:path');

const MiB = 1024 * 1024;
const GOALS = {
  smallRatio: 0.4,
  smallP99Ms: 20,
  /** CPU per small upload at most this many times the bare+INSERT server's (issue 16). */
  smallCpuPerInsert: 2,
  /** 1 MiB uploads/s at least this many times the bare+INSERT server's (issue 16). */
  mibInsertRatio: 2,
  mibPeakRssBytes: 300 * MiB,
  readyMs: 300,
  hugeMs: 1000,
  hugeRssPerBody: 4,
  memoryPeakRssBytes: 400 * MiB,
};

function goals(r) {
  const out = [];
  for (const [key, store] of [
    ['oursFile', 'file'],
    ['oursMemory', ':memory:'],
  ]) {
    const s = r.small?.[key];
    if (!s) continue;
    out.push(
      verdict(
        `small uploads (${store}) ≥ ${GOALS.smallRatio}× bare, CPU per upload ≤ ${GOALS.smallCpuPerInsert}× bare+INSERT's, p99 < ${GOALS.smallP99Ms} ms`,
        s.ratio >= GOALS.smallRatio && s.cpuPerInsert <= GOALS.smallCpuPerInsert && s.latencyMs.p99 < GOALS.smallP99Ms,
        `${fix(s.ratio, 2)}× bare, CPU ${fix(s.cpuUsPerUpload, 0)} µs = ${fix(s.cpuPerInsert, 1)}× bare+INSERT's, p99 ${s.latencyMs.p99} ms`,
      ),
    );
  }
  const m = r.mib?.oursFile;
  if (m) {
    out.push(
      verdict(
        `1 MiB uploads (each of another client) ≥ ${GOALS.mibInsertRatio}× bare+INSERT, peak RSS < 300 MiB`,
        m.insertRatio >= GOALS.mibInsertRatio && m.peakRssBytes < GOALS.mibPeakRssBytes,
        `${fix(m.insertRatio, 2)}× bare+INSERT (${fix(m.ratio, 2)}× bare), peak RSS ${mib(m.peakRssBytes)} MiB`,
      ),
    );
  }
  if (r.startup)
    out.push(verdict(`ready < ${GOALS.readyMs} ms after start`, r.startup.healthyMsMedian < GOALS.readyMs, `health 200 after ${fix(r.startup.healthyMsMedian, 0)} ms (median)`));
  const h = r.huge;
  if (h) {
    out.push(
      verdict(
        `20 MiB accepted in < 1 s, peak RSS < ${GOALS.hugeRssPerBody}× body`,
        h.ms < GOALS.hugeMs && h.rssPerBody < GOALS.hugeRssPerBody,
        `200 after ${fix(h.ms, 0)} ms, peak RSS ${mib(h.peakRssBytes)} MiB = ${fix(h.rssPerBody, 2)}× body`,
      ),
    );
  }
  if (r.memory) out.push(...memoryGoals(r.memory));
  return out;
}

/** Issue 13: both peaks under 400 MiB, every upload acknowledged and stored whole, every abort captured. */
function memoryGoals({ uploads: u, aborts: a }) {
  const limit = mib(GOALS.memoryPeakRssBytes);
  return [
    verdict(
      `${u.count} concurrent 20 MiB uploads: peak RSS < ${limit} MiB, all 200 and stored whole`,
      u.peakRssBytes < GOALS.memoryPeakRssBytes && u.acknowledged === u.count && u.storedWhole === u.count,
      `peak RSS ${mib(u.peakRssBytes)} MiB; ${u.acknowledged} answered 200, ${u.storedWhole} stored whole`,
    ),
    verdict(
      `${a.count} aborted 100 MiB declarations: peak RSS < ${limit} MiB, all captured`,
      a.peakRssBytes < GOALS.memoryPeakRssBytes && a.captured === a.count,
      `peak RSS ${mib(a.peakRssBytes)} MiB; ${a.captured} captured; health answered in ${fix(a.healthMs, 0)} ms meanwhile`,
    ),
  ];
}

const verdict = (goal, pass, got) => ({ goal, pass, got });
const fix = (n, d) => (Number.isFinite(n) ? n.toFixed(d) : '-');
const mib = (bytes) => fix(bytes / MiB, 0);
const int = (n) => Math.round(n).toLocaleString('en');

/** The printed report: settings, bodies, load table, start-up, big upload, goals. */
function format(r) {
  const lines = [];
  const c = r.config;
  lines.push(
    `sqm-cer-mock bench: ${r.machine.cpus} CPUs, node ${r.machine.node}; load runs ${c.seconds} s (+${c.warmupSeconds} s warm-up), ${c.connections} connections, pipelining 1, request timeout ${c.timeoutSeconds} s`,
  );
  for (const [name, b] of Object.entries(r.bodies)) lines.push(`  ${name.padEnd(6)} body: ${b.contents}`);
  lines.push('');
  const rows = [['load', 'server', 'uploads/s', 'p50 ms', 'p99 ms', 'max ms', 'peak RSS MiB', 'CPU µs/upload', '× bare', '× bare+INSERT', 'CPU × bare+INSERT']];
  for (const [load, group] of [
    ['small', r.small ?? {}],
    ['1 MiB', r.mib ?? {}],
  ]) {
    for (const [key, s] of Object.entries(group)) {
      rows.push([
        load,
        s.label,
        int(s.uploadsPerSec),
        fix(s.latencyMs.p50, 1),
        fix(s.latencyMs.p99, 1),
        fix(s.latencyMs.max, 0),
        mib(s.peakRssBytes),
        fix(s.cpuUsPerUpload, 0),
        key === 'bare' ? '' : `${fix(s.ratio, 2)}×`,
        key === 'bare' || key === 'bareInsert' ? '' : `${fix(s.insertRatio, 2)}×`,
        key === 'bare' || key === 'bareInsert' ? '' : `${fix(s.cpuPerInsert, 1)}×`,
      ]);
    }
  }
  lines.push(...table(rows), '');
  if (r.v2) {
    lines.push(`SQM v2 flows (${r.v2.ours.contents}):`);
    lines.push(
      ...table([
        ['flow', 'server', 'flows/s', 'p50 ms', 'p99 ms', 'max ms', 'ours/bare'],
        ['v2', 'bare node:http', int(r.v2.bare.flowsPerSec), fix(r.v2.bare.latencyMs.p50, 1), fix(r.v2.bare.latencyMs.p99, 1), fix(r.v2.bare.latencyMs.max, 0), ''],
        [
          'v2',
          'ours (file store)',
          int(r.v2.ours.flowsPerSec),
          fix(r.v2.ours.latencyMs.p50, 1),
          fix(r.v2.ours.latencyMs.p99, 1),
          fix(r.v2.ours.latencyMs.max, 0),
          `${fix(r.v2.ratio, 2)}×`,
        ],
      ]),
      '',
    );
  }
  const st = r.startup;
  if (st) {
    lines.push(
      `start-up (median of ${st.runs.length}): listening line ${fix(st.listeningMsMedian, 0)} ms, health 200 ${fix(st.healthyMsMedian, 0)} ms` +
        (st.first ? ` (the first, without a code cache: ${fix(st.first.listeningMs, 0)} and ${fix(st.first.healthyMs, 0)} ms)` : '') +
        `; --quiet prints only the listening line: ${st.quietStdoutOk ? 'yes' : `NO (${JSON.stringify(st.extraStdout)})`}`,
    );
  }
  const h = r.huge;
  if (h) {
    lines.push(
      `one ${int(h.bodyBytes)} B upload: 200 after ${fix(h.ms, 0)} ms; peak RSS ${mib(h.peakRssBytes)} MiB = ${fix(h.rssPerBody, 2)}× body` +
        ` (idle before it ${mib(h.idleRssBytes)} MiB; growth ${fix((h.peakRssBytes - h.idleRssBytes) / h.bodyBytes, 2)}× body)`,
    );
  }
  if (r.memory) lines.push(...memoryLines(r.memory));
  lines.push('', 'goals:');
  for (const g of r.goals) lines.push(`  [${g.pass ? 'PASS' : 'FAIL'}] ${g.goal}: ${g.got}`);
  return lines.join('\n');
}

function memoryLines({ uploads: u, aborts: a }) {
  const statuses = Object.entries(u.statuses)
    .map(([status, n]) => `${n}× ${status}`)
    .join(', ');
  return [
    `${u.count} concurrent ${int(u.bodyBytes)} B uploads: all answered after ${fix(u.ms, 0)} ms (${statuses}), ${u.storedWhole} stored whole; peak RSS ${mib(u.peakRssBytes)} MiB (idle ${mib(u.idleRssBytes)} MiB)`,
    `${a.count} declarations of ${int(a.declaredBytes)} B with 1 byte sent: health ${a.healthStatus} in ${fix(a.healthMs, 0)} ms while they held; ${a.captured} captured after they went away; peak RSS ${mib(a.peakRssBytes)} MiB (idle ${mib(a.idleRssBytes)} MiB)`,
  ];
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  // Text columns left-aligned, figures right-aligned.
  return rows.map((row) =>
    row
      .map((cell, i) => (i < 2 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

function writeJson(file, r) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
}

module.exports = { goals, format, writeJson, GOALS };
