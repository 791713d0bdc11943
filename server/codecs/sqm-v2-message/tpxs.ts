// Parses and checks an MS-TPXS request (MS-SQMCS2 3.2.5 steps 1-3): refuses DOCTYPE (no entity
// expansion, no XXE), checks well-formedness, walks the tree against TPXS_REQUEST and returns the
// typed message. Pure; never throws on bytes.

import { hasDoctype, nestingBeyond, readXml, safeXmlParser } from '../../wire/xml';
import { Findings, type Finding } from '../../wire/findings';
import { report } from './rules';
import { TPXS_REQUEST, type ElementSpec } from './tpxs-schema';
import type { Arg, Attrs, TpxsReq, TpxsRequest } from './types';

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = safeXmlParser({ ignoreDeclaration: true, ignorePiTags: true });
/** Nesting a request may have: TPXS (MS-TPXS 5.1) nests 7 levels; the parser itself stops at 100. */
const MAX_DEPTH = 64;

// XML 1.0 AttValue: no '<', '&' only as a reference (no DTD, so the five predefined entities or a
// character reference), only legal Chars. fast-xml-parser's validator lets these through, and
// attribute values are echoed unaltered (the namespace), so they must be well-formed here.
// eslint-disable-next-line no-control-regex -- XML 1.0 2.2: these control characters are not Char
const BAD_ATTR_VALUE = /<|&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

const nameOf = (n: Node): string | undefined => Object.keys(n).find((k) => k !== ':@');
const childrenOf = (n: Node): Node[] => (n[nameOf(n)!] as Node[]) ?? [];
const attrsOf = (n: Node): Attrs => Object.entries(n[':@'] ?? {});

export function parseTpxs(xml: Buffer): { value: TpxsRequest | null; findings: Finding[] } {
  const f = new Findings();
  const text = xml.toString('utf8').replace(/^\uFEFF/, '');
  // Refused before any parsing: a DOCTYPE is how entity bombs and XXE arrive, and TPXS has none.
  if (hasDoctype(text)) {
    report(f, 'sqm-v2.doctype', 'the XML has a DOCTYPE/ENTITY declaration; TPXS messages have none (refused, not expanded)');
    return { value: null, findings: f.list };
  }
  // Before the validator and the parser, whose recursion a 100k-deep document overflows.
  const deep = nestingBeyond(text, MAX_DEPTH);
  if (deep >= 0) {
    report(f, 'sqm-v2.xml-depth', `elements nest deeper than ${MAX_DEPTH} levels (at character ${deep}); a TPXS request nests 7 (refused, not parsed)`);
    return { value: null, findings: f.list };
  }
  // The plain shape real clients send is read directly; anything else goes to the library.
  const nodes = readXml(text, parser);
  if (!Array.isArray(nodes)) {
    report(f, 'sqm-v2.xml', nodes.problem);
    return { value: null, findings: f.list };
  }
  const roots = nodes.filter((n) => nameOf(n) !== '#text');
  const before = f.list.length;
  checkChildren(roots, TPXS_REQUEST, '', f);
  if (f.list.slice(before).some((x) => x.level === 'error')) return { value: null, findings: f.list };
  const value = toModel(roots[0]);
  if (value.ver !== '2') report(f, 'sqm-v2.version', `<req ver="${value.ver}">: this schema is version 2`);
  const keys = value.reqs.map((r) => r.key);
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup !== undefined) report(f, 'sqm-v2.duplicate-key', `req key "${dup}" is used more than once; keys are message-wide unique`);
  return { value: f.hasErrors ? null : value, findings: f.list };
}

function checkChildren(nodes: Node[], specs: Record<string, ElementSpec>, path: string, f: Findings): void {
  const counts = new Map<string, number>();
  for (const n of nodes) {
    const name = nameOf(n)!;
    if (name === '#text') {
      if (String(n['#text']).trim()) report(f, 'sqm-v2.text', `unexpected text in <${path || 'document'}>`);
      continue;
    }
    const spec = specs[name];
    if (!spec) {
      report(f, 'sqm-v2.element', `<${name}> is not allowed in ${path ? `<${path.split('/').pop()}>` : 'the document'} (at /${path}${path ? '/' : ''}${name})`);
      continue;
    }
    counts.set(name, (counts.get(name) ?? 0) + 1);
    const here = path ? `${path}/${name}` : name;
    for (const [attr, value] of attrsOf(n)) {
      if (BAD_ATTR_VALUE.test(value)) report(f, 'sqm-v2.xml', `XML not well-formed: attribute ${attr} of <${name}> at /${here} holds a "<", a bare "&" or a control character`);
    }
    for (const [attr, required] of Object.entries(spec.attrs ?? {})) {
      if (required && n[':@']?.[attr] === undefined) report(f, 'sqm-v2.attribute', `<${name}> at /${here} has no ${attr} attribute`, { specRef: spec.specRef });
    }
    checkChildren(childrenOf(n), spec.children ?? {}, here, f);
  }
  for (const [name, spec] of Object.entries(specs)) {
    const c = counts.get(name) ?? 0;
    if (spec.required && c === 0) report(f, 'sqm-v2.missing-element', `<${name}> is missing in ${path ? `/${path}` : 'the document'}`, { specRef: spec.specRef });
    if (!spec.many && c > 1) report(f, 'sqm-v2.repeated-element', `<${name}> appears ${c} times in /${path}; at most once`, { specRef: spec.specRef });
  }
}

const child = (n: Node | undefined, name: string): Node | undefined => (n ? childrenOf(n).find((c) => nameOf(c) === name) : undefined);
const argsOf = (n: Node | undefined): Arg[] =>
  n
    ? childrenOf(n)
        .filter((c) => nameOf(c) === 'arg')
        .map((c) => ({ nm: c[':@']?.nm ?? '', val: c[':@']?.val ?? '' }))
    : [];

function toModel(root: Node): TpxsRequest {
  const tlm = child(root, 'tlm');
  const mach = child(child(child(tlm, 'src'), 'desc'), 'mach');
  const reqs = child(tlm, 'reqs');
  const payload = child(reqs, 'payload');
  return {
    ver: root[':@']?.ver ?? '',
    os: argsOf(child(mach, 'os')),
    hw: argsOf(child(mach, 'hw')),
    ctrl: argsOf(child(mach, 'ctrl')),
    payload: payload ? argsOf(payload) : null,
    reqs: reqs
      ? childrenOf(reqs)
          .filter((c) => nameOf(c) === 'req')
          .map(toReq)
      : [],
  };
}

function toReq(n: Node): TpxsReq {
  const ns = child(n, 'namespace');
  const cmd = child(n, 'cmd');
  const a = ns?.[':@'] ?? {};
  return {
    key: n[':@']?.key ?? '',
    namespace: ns ? { attrs: attrsOf(ns), svc: a.svc, ptr: a.ptr, gp: a.gp, app: a.app, args: argsOf(ns) } : null,
    ctrl: argsOf(child(n, 'ctrl')),
    contents: argsOf(child(n, 'contents')),
    cmd: cmd ? { nm: cmd[':@']?.nm ?? '', args: argsOf(cmd) } : null,
  };
}
