// Byte ranges of a level-1 WERREPORT as sent (GET /__admin/requests/:id/layout): the byte order
// mark, the document, each element and attribute (MS-CER2 2.2.1), in the body's own encoding.

import type { LayoutPart } from '../../core/module';
import { Findings } from '../../wire/findings';
import { xmlLayout } from '../../wire/xml-layout';
import { decodeCerText, detectEncoding } from './cer-encoding';

export function werReportLayout(body: Buffer): LayoutPart | undefined {
  const d = detectEncoding(body);
  const { decoded } = decodeCerText(body, new Findings());
  // UTF-16BE is read, never sent by Windows; its bytes would need their own mapping: the document range only.
  const ranges = d.bom ? [{ path: 'bom', label: 'Byte order mark', start: 0, end: d.start, depth: 0, value: d.encoding }] : [];
  ranges.push({ path: 'xml', label: 'WERREPORT (MS-CER2 2.2.1)', start: d.start, end: body.length, depth: 0, value: d.encoding });
  if (!decoded || d.encoding === 'utf-16be') return { ranges };
  const encoding = d.encoding === 'utf-8' ? 'utf8' : 'utf16le';
  return { ranges: [...ranges, ...xmlLayout(decoded.text, { base: d.start, encoding, prefix: 'xml', depth: 1 })] };
}
