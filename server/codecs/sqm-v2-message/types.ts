// Typed values of an SQM v2 request message (MS-SQMCS2 2.2.2, MS-TPXS 2.1): the XML request
// after framing, as plain data. Values are kept exactly as sent (entities are not expanded).

/** A name-value `arg` element, in document order. */
export interface Arg {
  nm: string;
  val: string;
}

/** Attributes in the order they were written (the namespace is echoed unaltered). */
export type Attrs = [string, string][];

export interface TpxsNamespace {
  attrs: Attrs;
  svc?: string;
  ptr?: string;
  gp?: string;
  app?: string;
  args: Arg[];
}

export interface TpxsReq {
  key: string;
  namespace: TpxsNamespace | null;
  ctrl: Arg[];
  contents: Arg[];
  cmd: { nm: string; args: Arg[] } | null;
}

export interface TpxsRequest {
  ver: string;
  os: Arg[];
  hw: Arg[];
  ctrl: Arg[];
  payload: Arg[] | null;
  reqs: TpxsReq[];
}

export const argValue = (args: readonly Arg[], nm: string): string | undefined => args.find((a) => a.nm === nm)?.val;
