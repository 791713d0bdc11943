'use strict';
// Valid SQM v1 sessions (MS-SQMCS 2.2.4) for the bench, built with the project's own test builder
// (dist/server/testing, the package's sqm-cer-mock/testing): a ~300-byte one and one of any exact size.

const path = require('node:path');
const { BenchError } = require('./errors');

const BUILDER = path.resolve(__dirname, '..', 'dist', 'server', 'testing', 'index.js');
const HEADER = 120;
const DWORD_BYTES = 12;
const SECTION_HEAD = 8;
const STRING_HEAD = 12; // DataPointID, TickCount, StringLength (document layout)
const PATTERN = 'SQM bench payload 0123456789 abcdefghijklmnopqrstuvwxyz. ';

function builder() {
  try {
    return require(BUILDER);
  } catch (e) {
    throw new BenchError(`cannot load ${BUILDER} (${e.message}): run "npm run build" (npm run bench does it)`);
  }
}

function dwords(count) {
  return { type: 'dword', datapoints: Array.from({ length: count }, (_, i) => ({ id: 1 + i, value: 7601 + i * 13, tickCount: i * 1000 })) };
}

/** About 300 bytes: the header, 12 DWORD data points and one 8-character STRING. */
function smallSession() {
  const sections = [dwords(12), { type: 'string', datapoints: [{ id: 100, value: 'bench-01' }] }];
  const body = builder().buildSqmSession({ sections });
  return { body, contents: `header + 12 DWORDs + 1 STRING of 8 chars (${body.length} B)` };
}

/**
 * A session of exactly `size` bytes (even, ≥ 400): the header, 15 DWORDs, and one STRING section of
 * `strings` UTF-16 strings that fill the rest.
 */
function sizedSession(size, strings = 4) {
  const fixed = HEADER + SECTION_HEAD + 15 * DWORD_BYTES + SECTION_HEAD + strings * STRING_HEAD;
  if (size % 2 !== 0 || size < fixed + 2 * strings) throw new BenchError(`cannot build a session of ${size} bytes`);
  const chars = (size - fixed) / 2;
  const each = Math.floor(chars / strings);
  const lengths = Array.from({ length: strings }, (_, i) => (i === strings - 1 ? chars - each * (strings - 1) : each));
  const datapoints = lengths.map((n, i) => ({ id: 200 + i, value: PATTERN.repeat(Math.ceil(n / PATTERN.length)).slice(0, n) }));
  const body = builder().buildSqmSession({ sections: [dwords(15), { type: 'string', datapoints }] });
  if (body.length !== size) throw new BenchError(`built ${body.length} bytes, wanted ${size}`);
  return { body, contents: `header + 15 DWORDs + 1 STRING section of ${strings} strings of ~${each.toLocaleString('en')} UTF-16 chars (${size.toLocaleString('en')} B)` };
}

module.exports = { smallSession, sizedSession };
