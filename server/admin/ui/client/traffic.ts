// The captured requests as the page knows them: the newest page first (a quick first paint), then
// every page by the `since=` cursor, then polling `since=` for new ones each second. Finding counts
// per request come the same way from /violations?level=all. A store emptied elsewhere is reloaded.

import { eachPage, getJson } from './api.js';
import type { Finding, RequestRow } from './types';

const POLL_MS = 1000;

export class Traffic {
  /** Oldest first, by id. */
  rows: RequestRow[] = [];
  readonly findingCounts = new Map<number, number>();
  private byId = new Map<number, RequestRow>();
  private lastFinding = 0;
  private timer: number | undefined;
  private readonly listeners = new Set<() => void>();
  private loading: Promise<void> | null = null;

  onChange(f: () => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  get lastId(): number {
    return this.rows.length ? this.rows[this.rows.length - 1].id : 0;
  }

  row(id: number): RequestRow | undefined {
    return this.byId.get(id);
  }

  private emit(): void {
    for (const f of this.listeners) f();
  }

  private add(rows: RequestRow[]): void {
    let unordered = false;
    for (const r of rows) {
      if (this.byId.has(r.id)) continue;
      if (this.rows.length && r.id < this.lastId) unordered = true;
      this.byId.set(r.id, r);
      this.rows.push(r);
    }
    if (unordered) this.rows.sort((a, b) => a.id - b.id);
  }

  private addFindings(list: Finding[]): void {
    for (const f of list) {
      this.findingCounts.set(f.requestId, (this.findingCounts.get(f.requestId) ?? 0) + 1);
      if (f.id !== undefined && f.id > this.lastFinding) this.lastFinding = f.id;
    }
  }

  clear(): void {
    this.rows = [];
    this.byId.clear();
    this.findingCounts.clear();
    this.lastFinding = 0;
    this.emit();
  }

  /** The newest 200 at once, then everything older page by page, then the findings. */
  load(): Promise<void> {
    this.loading ??= (async () => {
      const newest = await getJson<{ requests: RequestRow[] }>('requests?limit=200');
      this.add(newest.requests);
      this.emit();
      const stop = newest.requests[0]?.id ?? Infinity;
      await eachPage<RequestRow>('requests', 'requests', (rows) => {
        this.add(rows.filter((r) => r.id < stop));
        this.emit();
        if (rows.length && rows[rows.length - 1].id >= stop) throw new StopPaging();
      }).catch((e: unknown) => {
        if (!(e instanceof StopPaging)) throw e;
      });
      await eachPage<Finding>('violations?level=all', 'violations', (list) => this.addFindings(list));
      this.emit();
    })().finally(() => (this.loading = null));
    return this.loading;
  }

  /** New requests and findings since the last ones seen; a reload when the store was emptied. */
  async poll(): Promise<void> {
    const newest = (await getJson<{ requests: RequestRow[] }>('requests?limit=1')).requests[0];
    if ((newest?.id ?? 0) < this.lastId) {
      this.clear();
      return this.load();
    }
    const before = this.rows.length;
    const findingsBefore = this.lastFinding;
    if (newest && newest.id > this.lastId) await eachPage<RequestRow>(`requests?since=${this.lastId}`, 'requests', (rows) => this.add(rows));
    await eachPage<Finding>(`violations?level=all&since=${this.lastFinding}`, 'violations', (list) => this.addFindings(list));
    if (this.rows.length !== before || this.lastFinding !== findingsBefore) this.emit();
  }

  start(onError: (e: unknown) => void): void {
    const tick = () => {
      this.timer = window.setTimeout(() => {
        const next = document.hidden ? Promise.resolve() : this.poll();
        next.catch(onError).finally(tick);
      }, POLL_MS);
    };
    this.load().catch(onError).finally(tick);
  }

  stop(): void {
    window.clearTimeout(this.timer);
  }
}

class StopPaging extends Error {}
