// Conversation findings (INTERFACE.md section 5): a finding of the request being judged that names
// the earlier request whose answer set the broken rule up, and the client; plus the wording of time.

import type { Finding } from '../wire/findings';
import type { FindingRecord } from '../store';
import type { Setup } from './state';

/** The finding as a conversation violation of `clientKey`, related to the setup's request. */
export const conversationFinding = (protocol: string, clientKey: string, f: Finding, setup: Pick<Setup, 'requestId'> | null): FindingRecord => ({
  // Named one by one (not spread): every finding of a check gets the same object shape.
  level: f.level,
  rule: f.rule,
  specRef: f.specRef,
  message: f.message,
  offset: f.offset,
  protocol,
  kind: 'conversation',
  clientKey,
  relatedRequestId: setup?.requestId ?? null,
});

const UNITS: [number, string][] = [
  [86400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** `2 days`, `5 hours`, `40 seconds`: the largest whole unit of a duration in ms. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const [size, unit] = UNITS.find(([n]) => s >= n) ?? UNITS[UNITS.length - 1];
  const n = Math.floor(s / size);
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** How long after a setup the request being judged came, by the mock clock. */
export const after = (setup: Pick<Setup, 'at'>, nowMs: number): string => duration(nowMs - Date.parse(setup.at));
