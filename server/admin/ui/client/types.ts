// Shapes of the admin API answers the page reads (README "Admin API").

export interface RequestRow {
  id: number;
  receivedAt: string;
  listener: string;
  protocol: string;
  method: string;
  path: string;
  status: number | null;
  bodySize: number;
  ruleName: string | null;
  partner: string | null;
  fault: string | null;
  clientKey: string | null;
}

export interface RequestDetail extends RequestRow {
  headers: [string, string][];
  responseHeaders: Record<string, string>;
  responseBody: string | null;
  httpVersion?: string;
  remoteAddress?: string;
  [extra: string]: unknown;
}

export interface Finding {
  id?: number;
  requestId: number;
  sessionId?: number | null;
  protocol: string;
  level: string;
  rule: string;
  specRef: string;
  message: string;
  offset?: number | null;
  kind?: string;
  relatedRequestId?: number | null;
  clientKey?: string | null;
}

export interface ByteRange {
  path: string;
  label: string;
  start: number;
  end: number;
  value?: string;
  depth: number;
  space?: 'decompressed';
}

export interface Layout {
  requestId: number;
  bodySize: number;
  ranges: ByteRange[];
  omitted: number;
  sessions: { id: number; bodyOffset: number | null }[];
}

export interface ConformanceClient {
  clientKey: string;
  protocol: string;
  requests: number;
  violations: Finding[];
  expectations: Finding[];
}
