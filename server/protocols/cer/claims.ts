// Main-thread CER state that must be decided synchronously, before a capture commits: bucket ids
// for new signatures (stable: read back from the store, never reused) and which reports already
// have a level-2 upload (so two concurrent PUTs cannot both be accepted), and which DumpFile keys
// are issued (the store keeps them unique; the seeded uuid stream restarts with the process).

import type { ConversationState } from '../../conversation';
import type { AuthConnections } from './auth-connections';
import type { CerState } from './state';

export interface BucketChoice {
  bucket: number;
  bucketTable: number;
  isNew: boolean;
}

export class CerClaims {
  private readonly known = new Map<string, { bucket: number; bucketTable: number }>();
  private next = 0;
  /** Report id → sha256 of the cabinet taken for it. */
  private readonly level2 = new Map<number, string>();
  private readonly dumpKeys = new Set<string>();

  constructor(private readonly q: CerState) {}

  /** The signature's bucket; a new one gets the next id at or above `firstBucket`. */
  assignBucket(signatureKey: string, opts: { firstBucket: number; bucketTable: number }): BucketChoice {
    const cached = this.known.get(signatureKey) ?? this.q.bucketOf(signatureKey);
    if (cached) {
      this.known.set(signatureKey, cached);
      return { ...cached, isNew: false };
    }
    this.next = Math.max(this.next, this.q.maxBucket() + 1, opts.firstBucket);
    const choice = { bucket: this.next++, bucketTable: opts.bucketTable };
    this.known.set(signatureKey, choice);
    return { ...choice, isNew: true };
  }

  /**
   * `new` for the first level-2 upload of a report (now taken); else whether it has the bytes of the
   * one taken (stored, or still being captured): `same` (a retry after a lost answer) or `different`.
   */
  claimLevel2(reportId: number, sha256: string, storedSha256: string | null): 'new' | 'same' | 'different' {
    const taken = storedSha256 ?? this.level2.get(reportId);
    if (taken !== undefined) return taken === sha256 ? 'same' : 'different';
    this.level2.set(reportId, sha256);
    return 'new';
  }

  /**
   * True for a DumpFile key no report was issued yet (in this run or in the store), which is now
   * taken; false when another report has it (each report's key must be unique to find its level 2).
   */
  claimDumpKey(dumpKey: string): boolean {
    if (this.dumpKeys.has(dumpKey) || this.q.reportByDumpKey(dumpKey)) return false;
    this.dumpKeys.add(dumpKey);
    return true;
  }

  /** A DumpFile key issued to a report that was not taken (its copy or capture failed). */
  releaseDumpKey(dumpKey: string): void {
    this.dumpKeys.delete(dumpKey);
  }

  /** A claim whose capture failed can be retried. */
  release(reportId: number): void {
    this.level2.delete(reportId);
  }

  reset(): void {
    this.known.clear();
    this.level2.clear();
    this.dumpKeys.clear();
    this.next = 0;
  }
}

/** What CER handlers and admin routes get: the stored state and the in-process claims over it. */
export interface CerModuleState {
  store: CerState;
  claims: CerClaims;
  /** What answers set up for each client (INTERFACE.md section 5). */
  conversation: ConversationState;
  /** The authentication exchange's state per connection (cer.requireAuth). */
  auth: AuthConnections;
}
