// Decodes a CER level-1 report (MS-CER2 2.2.1): Unicode text, a well-formed XML document without
// DTD, checked against the WERREPORT schema (2.2.1.2 simple types, 2.2.1.3 elements). Schema
// problems are findings beside a value filled as far as possible; pure, never throws on bytes.

import { Findings, type Finding } from '../../wire/findings';
import { decodeCerText } from './cer-encoding';
import { report } from './rules';
import type { WerApplicationInfo, WerEventInfo, WerFile, WerMachineInfo, WerParameter, WerReport, WerSecondaryParameter, WerUserInfo } from './types';
import { checkSimpleType, collapse, isXmlInfrastructure, WERREPORT, type ElementSpec } from './wer-schema';
import { attrValue, childrenOf, hasDoctype, isText, nameOf, parseWerXml, type XmlNode } from './wer-xml';

/** An element as the schema saw it: attribute values by their schema name, children by theirs. */
interface Walked {
  attrs: Map<string, string>;
  children: Map<string, Walked[]>;
}

/**
 * Decodes one level-1 body. `value` is null only when the bytes are not a readable WERREPORT
 * document (empty, bad encoding, DOCTYPE, not well-formed, another root); schema violations leave
 * it filled as far as the document allows, beside their findings.
 *
 * @example
 * const { value, findings } = decodeWerReport(body);
 * if (value && !hasErrors(findings)) console.log(value.eventInfo?.eventtype);
 */
export function decodeWerReport(body: Buffer): { value: WerReport | null; findings: Finding[] } {
  const f = new Findings();
  try {
    return { value: decode(body, f), findings: f.list };
  } catch (e) {
    // Belt and braces: every known failure is a finding already; an unknown one must not escape.
    report(f, 'cer.xml', `the report could not be read: ${e instanceof Error ? e.message : String(e)}`);
    return { value: null, findings: f.list };
  }
}

function decode(body: Buffer, f: Findings): WerReport | null {
  const { decoded, lenientText } = decodeCerText(body, f);
  // Refused before any XML parsing: a DTD is how entity bombs and XXE arrive, and WERREPORT has none.
  if (hasDoctype(lenientText)) {
    report(f, 'cer.doctype', 'the XML has a DOCTYPE/ENTITY declaration; a WERREPORT has none (refused, not expanded)');
    return null;
  }
  if (!decoded) return null;
  const root = parseWerXml(decoded.text, f);
  if (!root) return null;
  const rootName = nameOf(root);
  if (rootName !== WERREPORT.name) {
    const hint = rootName.toLowerCase() === 'werreport' ? ' (element names are case-sensitive)' : '';
    report(f, 'cer.root', `root element: expected <WERREPORT>, got <${rootName}>${hint}`);
    return null;
  }
  const walked = walk(root, WERREPORT, '/WERREPORT', f);
  checkParameterIds(walked, f);
  return toModel(walked, decoded.encoding, decoded.bom);
}

/** Checks one element's attributes and children against its spec (recursively). */
function walk(node: XmlNode, spec: ElementSpec, path: string, f: Findings): Walked {
  const attrs = walkAttributes(node, spec, path, f);
  const children = new Map<string, Walked[]>();
  let text = false;
  for (const child of childrenOf(node)) {
    const name = nameOf(child);
    if (isText(name)) {
      // XML white space only (not String.trim's wider set): anything else is character data.
      text ||= /[^ \t\n\r]/.test(childrenText(child));
      continue;
    }
    const childSpec = spec.children.find((c) => c.name === name) ?? spec.children.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!childSpec) {
      const allowed = spec.children.length ? `expected one of ${spec.children.map((c) => `<${c.name}>`).join(', ')}` : 'expected no child elements';
      report(f, 'cer.element', `<${name}> at ${path}/${name} is not part of <${spec.name}>: ${allowed}; ignored`, { specRef: spec.specRef });
      continue;
    }
    const list = children.get(childSpec.name) ?? [];
    const here = `${path}/${name}${childSpec.max > 1 ? `[${list.length + 1}]` : ''}`;
    if (name !== childSpec.name)
      report(f, 'cer.element-case', `element name at ${here}: expected <${childSpec.name}>, got <${name}> (names are case-sensitive)`, { specRef: childSpec.specRef });
    list.push(walk(child, childSpec, here, f));
    children.set(childSpec.name, list);
  }
  if (text) report(f, 'cer.text', `<${spec.name}> at ${path} holds text; expected attributes and child elements only`, { specRef: spec.specRef });
  for (const c of spec.children) {
    const count = children.get(c.name)?.length ?? 0;
    const at = { specRef: c.specRef };
    if (c.required && count === 0) report(f, 'cer.missing-element', `<${spec.name}> at ${path}: expected a <${c.name}>, got none`, at);
    if (count > c.max) report(f, c.tooManyRule ?? 'cer.repeated-element', `<${spec.name}> at ${path}: expected at most ${c.max} <${c.name}>, got ${count}`, at);
  }
  return { attrs, children };
}

const childrenText = (n: XmlNode): string =>
  nameOf(n) === '#text'
    ? String(n['#text'])
    : childrenOf(n)
        .map((c) => String((c['#text'] as string | number | undefined) ?? ''))
        .join('');

function walkAttributes(node: XmlNode, spec: ElementSpec, path: string, f: Findings): Map<string, string> {
  const raw = Object.entries(node[':@'] ?? {});
  const declared = Object.keys(spec.attrs);
  const attrs = new Map<string, string>();
  const at = { specRef: spec.specRef };
  for (const [name, value] of raw) if (declared.includes(name)) attrs.set(name, attrValue(value));
  for (const [name, value] of raw) {
    if (declared.includes(name) || isXmlInfrastructure(name)) continue;
    const meant = declared.find((d) => d.toLowerCase() === name.toLowerCase() && !attrs.has(d));
    if (meant) {
      report(f, 'cer.attribute-case', `<${spec.name}> at ${path}: expected attribute ${meant}, got ${name} (names are case-sensitive)`, at);
      attrs.set(meant, attrValue(value));
    } else {
      report(f, 'cer.unknown-attribute', `<${spec.name}> at ${path}: attribute ${name} is not in the schema (expected ${declared.join(', ') || 'none'}); ignored`, at);
    }
  }
  for (const [name, a] of Object.entries(spec.attrs)) {
    const value = attrs.get(name);
    if (value === undefined) {
      if (a.required) report(f, 'cer.attribute', `<${spec.name}> at ${path}: expected the required attribute ${name} (${a.type}), got none`, at);
      continue;
    }
    const problem = checkSimpleType(a.type, value);
    if (problem) report(f, problem.rule, `<${spec.name} ${name}> at ${path}: expected ${problem.expected}, got ${show(value)}`);
  }
  return attrs;
}

/** Long values shortened in messages (a 300-character path must not flood the log). */
function show(v: string): string {
  const cps = [...v];
  return cps.length <= 80 ? JSON.stringify(v) : `${JSON.stringify(cps.slice(0, 60).join(''))}… (${cps.length} characters)`;
}

function checkParameterIds(walked: Walked, f: Findings): void {
  const params = walked.children.get('SIGNATURE')?.[0]?.children.get('PARAMETER') ?? [];
  const seen = new Map<string, number>();
  for (const p of params) {
    const raw = p.attrs.get('id');
    const id = raw === undefined ? undefined : collapse(raw);
    if (id !== undefined) seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  for (const [id, count] of seen) {
    if (count > 1) report(f, 'cer.parameter-duplicate', `<SIGNATURE> at /WERREPORT/SIGNATURE: expected each PARAMETER id once, got id ${show(id)} ${count} times`);
  }
}

/** The named attributes of an element: required ones as '' when missing, optional ones only when present. */
function pick<T>(w: Walked, required: readonly (keyof T & string)[], optional: readonly (keyof T & string)[] = []): T {
  const out: Record<string, string> = {};
  for (const k of required) out[k] = w.attrs.get(k) ?? '';
  for (const k of optional) {
    const v = w.attrs.get(k);
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

function toModel(report: Walked, encoding: WerReport['encoding'], bom: boolean): WerReport {
  const one = (w: Walked | undefined, name: string): Walked | undefined => w?.children.get(name)?.[0];
  const all = (w: Walked | undefined, name: string): Walked[] => w?.children.get(name) ?? [];
  const opt = <T>(w: Walked | undefined, make: (w: Walked) => T): T | null => (w ? make(w) : null);
  const signature = one(report, 'SIGNATURE');
  return {
    encoding,
    bom,
    machineInfo: opt(one(report, 'MACHINEINFO'), (w) => pick<WerMachineInfo>(w, ['machinename', 'os', 'lcid'], ['oem'])),
    userInfo: opt(one(report, 'USERINFO'), (w) => pick<WerUserInfo>(w, ['username'])),
    applicationInfo: opt(one(report, 'APPLICATIONINFO'), (w) => pick<WerApplicationInfo>(w, ['appname', 'apppath'], ['appcompany'])),
    eventInfo: opt(one(report, 'EVENTINFO'), (w) => pick<WerEventInfo>(w, ['reporttype', 'eventtype', 'eventtime'], ['friendlyeventname', 'eventdescription'])),
    parameters: all(signature, 'PARAMETER').map((w) => pick<WerParameter>(w, ['id', 'value'], ['name'])),
    secondaryParameters: all(signature, 'SECONDARYPARAMETER').map((w) => pick<WerSecondaryParameter>(w, ['name', 'value'])),
    files: all(one(report, 'FILES'), 'FILE').map((w) => pick<WerFile>(w, ['filename', 'filetype'])),
  };
}
