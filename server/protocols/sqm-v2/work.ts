// What one SQM v2 message accumulates while its reqs are answered (handle.ts, upload.ts).

import type { Blob } from '../../codecs/sqm-v2-message/payload';
import type { TpxsRequest } from '../../codecs/sqm-v2-message/types';
import type { MockContext } from '../../context';
import type { WireRequest } from '../../core/types';
import type { CaptureRow, FindingRecord } from '../../store';
import type { ConversationState } from '../../conversation';
import type { TokenRow, TokenState } from './state';

export interface V2Work {
  ctx: MockContext;
  tokens: TokenState;
  conversation: ConversationState;
  /** The client (its mid), or null when the message names none. */
  clientKey: string | null;
  req: WireRequest;
  msg: TpxsRequest;
  xmlEnd: number;
  blob: Blob | null;
  blobError: string | null;
  taken: [number, number][];
  /** Sessions decoded so far (their index keys their findings). */
  sessionCount: number;
  findings: FindingRecord[];
  rows: CaptureRow[];
  /** Tokens looked up for this message (its reqs' uses are not committed yet, so a second lookup would read the same). */
  tokenRows: Map<string, TokenRow | undefined>;
}

/** The stored token, read once per message however many of its reqs (and checks) ask. */
export function tokenOf(w: V2Work, token: string): TokenRow | undefined {
  if (!w.tokenRows.has(token)) w.tokenRows.set(token, w.tokens.token(token));
  return w.tokenRows.get(token);
}
