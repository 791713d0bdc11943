// The A-SQM property set section (MS-SQMCS 2.2.6.6): header with an aligned name (2.2.6.6.1), then
// PropertyCount key/value properties of 8 + PropertyKeyLength + PropertyValueLength bytes (2.2.6.6.2).

import { ByteReader } from '../../wire/reader';
import { ByteWriter } from '../../wire/writer';
import type { Findings } from '../../wire/findings';
import { report } from './rules';
import { decodeTerminated, encodeAligned } from './strings';
import { PROPERTY_FIXED_LENGTH, PROPERTY_SET_FIXED_LENGTH, type AsqmProperty, type AsqmPropertySet } from './types';

const EMPTY = Buffer.alloc(0);

export interface DecodedPropertySet {
  propertySet: AsqmPropertySet;
  /** Section bytes after PropertySetLength. */
  extra?: Buffer;
}

/** Decodes a property set section's body (at `base`); null when its header cannot be read. */
export function decodePropertySet(body: Buffer, base: number, findings: Findings): DecodedPropertySet | null {
  const r = new ByteReader(body);
  const headerLength = r.u32() ?? 0;
  if (body.length < PROPERTY_SET_FIXED_LENGTH || headerLength < PROPERTY_SET_FIXED_LENGTH || headerLength > body.length) {
    report(
      findings,
      'asqm.property-set-header-length',
      `HeaderLength ${headerLength} does not fit a ${body.length}-byte section (at least ${PROPERTY_SET_FIXED_LENGTH}); kept raw`,
      { offset: base },
    );
    return null;
  }
  const propertySetLength = r.u32()!;
  const propertyCount = r.u32()!;
  const name = decodeTerminated(r.bytes(headerLength - PROPERTY_SET_FIXED_LENGTH)!, {
    findings,
    offset: base + PROPERTY_SET_FIXED_LENGTH,
    section: '2.2.6.6.1',
    field: 'PropertySetName',
  });
  const set: AsqmPropertySet = { propertySetLength, propertyCount, name: name.value, properties: [] };
  if (name.bytes) set.nameBytes = name.bytes;
  if (propertySetLength !== body.length) {
    report(findings, 'asqm.property-set-length', `property set "${set.name}": PropertySetLength is ${propertySetLength}; SectionLength is ${body.length}`, { offset: base + 4 });
  }
  if (propertyCount === 0) report(findings, 'asqm.property-set-empty', `property set "${set.name}" has no properties`, { offset: base + 8 });
  const end = Math.min(Math.max(propertySetLength, headerLength), body.length);
  const keys = new Set<string>();
  let complete = true;
  for (let i = 0; i < propertyCount; i++) {
    const at = r.pos;
    const p = decodeProperty(r, end, { base, findings, where: `property set "${set.name}", property ${i}` });
    if (p === null) {
      complete = false;
      break;
    }
    if (keys.has(p.key)) report(findings, 'asqm.duplicate-property-key', `property set "${set.name}": key "${p.key}" appears more than once`, { offset: base + at });
    keys.add(p.key);
    set.properties.push(p);
  }
  if (r.pos < end) {
    if (complete) {
      report(findings, 'asqm.property-set-length', `property set "${set.name}": ${end - r.pos} bytes follow its ${propertyCount} properties`, { offset: base + r.pos });
    }
    set.trailing = r.bytes(end - r.pos)!;
  }
  return end < body.length ? { propertySet: set, extra: body.subarray(end) } : { propertySet: set };
}

function decodeProperty(r: ByteReader, end: number, ctx: { base: number; findings: Findings; where: string }): AsqmProperty | null {
  const at = r.pos;
  const left = end - at;
  const keyLength = left >= 4 ? r.buf.readUInt32LE(at) : 0;
  const valueLength = left >= 8 ? r.buf.readUInt32LE(at + 4) : 0;
  if (left < PROPERTY_FIXED_LENGTH || PROPERTY_FIXED_LENGTH + keyLength + valueLength > left) {
    report(ctx.findings, 'asqm.property-length', `${ctx.where}: 8 + PropertyKeyLength ${keyLength} + PropertyValueLength ${valueLength} runs past the ${left} bytes left`, {
      offset: ctx.base + at,
    });
    return null;
  }
  r.pos += PROPERTY_FIXED_LENGTH;
  const keyAt = ctx.base + r.pos;
  const key = decodeTerminated(r.bytes(keyLength)!, { findings: ctx.findings, offset: keyAt, section: '2.2.6.6.2', field: 'PropertyKey' });
  const value = decodeTerminated(r.bytes(valueLength)!, { findings: ctx.findings, offset: keyAt + keyLength, section: '2.2.6.6.2', field: 'PropertyValue' });
  const p: AsqmProperty = { key: key.value, value: value.value };
  if (key.bytes) p.keyBytes = key.bytes;
  if (value.bytes) p.valueBytes = value.bytes;
  return p;
}

/** Encodes a property set: stored PropertySetLength/PropertyCount when present (and not `recompute`). */
export function encodePropertySet(set: AsqmPropertySet, recompute = false): Buffer {
  const name = set.nameBytes ?? encodeAligned(set.name);
  const props = set.properties.map((p) => {
    const key = p.keyBytes ?? encodeAligned(p.key);
    const value = p.valueBytes ?? encodeAligned(p.value);
    return new ByteWriter(PROPERTY_FIXED_LENGTH + key.length + value.length).u32(key.length).u32(value.length).bytes(key).bytes(value).toBuffer();
  });
  const body = Buffer.concat([...props, set.trailing ?? EMPTY]);
  const headerLength = PROPERTY_SET_FIXED_LENGTH + name.length;
  const w = new ByteWriter(headerLength + body.length);
  w.u32(headerLength);
  w.u32(recompute || set.propertySetLength === undefined ? headerLength + body.length : set.propertySetLength);
  w.u32(recompute || set.propertyCount === undefined ? set.properties.length : set.propertyCount);
  return w.bytes(name).bytes(body).toBuffer();
}
