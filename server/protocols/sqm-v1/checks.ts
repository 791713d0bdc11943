// SQM v1 across requests (INTERFACE.md section 5, MS-SQMCS 3.1.5.2-3.1.5.3): an upload is judged
// against what earlier answers told the same client (partner + ClientUniqueIdentifier), and the
// answer sets up what later uploads are judged against. Plain facts in, findings and rows out.

import { after, conversationFinding, seenRow, setupRow, type Seen, type Setup } from '../../conversation';
import type { CaptureRow, FindingRecord } from '../../store';
import { findingFor } from './rules';

const DAY_MS = 86400_000;
/** MS-SQMCS 3.1.5.2.3: a 403 means no data for 14 days. */
const FIXED_THROTTLE_DAYS = 14;

export interface UploadFacts {
  clientKey: string;
  partner: string;
  nowMs: number;
  /** Identifies the session of this client: 20 bytes in hex, a hash of the partner and the header (which carries the DataChecksum and times). */
  digest: string;
  /** The header's ManifestVersion. */
  manifestVersion: number;
}

/** What the client was told before: throttle windows still open, and the session accepted with this digest. */
export interface EarlierAnswers {
  throttles: Setup[];
  fixedThrottles: Setup[];
  accepted?: Seen;
}

export function judgeUpload(f: UploadFacts, earlier: EarlierAnswers): FindingRecord[] {
  const out: FindingRecord[] = [];
  const v = (rule: Parameters<typeof findingFor>[0], message: string, s: Pick<Setup, 'requestId'>) =>
    out.push(conversationFinding('sqm-v1', f.clientKey, findingFor(rule, message), s));
  for (const s of earlier.throttles) {
    v(
      'sqm-v1.throttle-ignored',
      `this upload came ${after(s, f.nowMs)} after request ${s.requestId} answered 201 ThrottleInterval ${String(s.data.days)} days (until ${s.until})`,
      s,
    );
  }
  for (const s of earlier.fixedThrottles) {
    v(
      'sqm-v1.fixed-throttle-ignored',
      `this upload came ${after(s, f.nowMs)} after request ${s.requestId} answered 403 (no data for ${FIXED_THROTTLE_DAYS} days, until ${s.until})`,
      s,
    );
  }
  const s = earlier.accepted;
  if (s) v('sqm-v1.resent', `the same session was accepted by request ${s.requestId}, ${after(s, f.nowMs)} before`, s);
  return out;
}

export interface AnswerFacts {
  status: number;
  /** ThrottleInterval and ManifestVersion as sent in a 201. */
  throttleDays?: number;
  announcedManifest?: number;
}

/** The setups an answer makes: the session accepted (its digest seen), a throttle window, a manifest to fetch. */
export function setupsOfAnswer(f: UploadFacts, a: AnswerFacts, acceptedBefore = false): CaptureRow[] {
  const at = new Date(f.nowMs);
  const rows: CaptureRow[] = [];
  // A session accepted before is remembered once: its resends are judged against the first.
  if (!acceptedBefore && (a.status === 200 || a.status === 201 || a.status === 403)) rows.push(seenRow(f.digest, at));
  if (a.status === 200) return rows; // the common answer sets nothing else up
  const base = { clientKey: f.clientKey, protocol: 'sqm-v1', at };
  if (a.status === 201 && a.throttleDays !== undefined && a.throttleDays > 0) {
    rows.push(setupRow({ ...base, kind: 'throttle', until: new Date(f.nowMs + a.throttleDays * DAY_MS), data: { days: a.throttleDays } }));
  }
  if (a.status === 403) rows.push(setupRow({ ...base, kind: 'fixed-throttle', until: new Date(f.nowMs + FIXED_THROTTLE_DAYS * DAY_MS) }));
  if (a.status === 201 && a.announcedManifest !== undefined && a.announcedManifest !== f.manifestVersion) {
    const { specRef } = findingFor('sqm-v1.manifest-not-fetched', '');
    rows.push(
      setupRow({
        ...base,
        kind: 'manifest',
        ref: `${f.partner}:${a.announcedManifest}`,
        data: { partner: f.partner, version: a.announcedManifest },
        expectation: {
          rule: 'sqm-v1.manifest-not-fetched',
          specRef,
          message: `ManifestVersion ${a.announcedManifest} was announced (the client has ${f.manifestVersion}); Sqm${a.announcedManifest}.bin of ${f.partner} was not downloaded`,
        },
      }),
    );
  }
  return rows;
}
