// The relay's change to SQM payloads (MS-SQMCS 3.3, MS-SQMCS2 3.3): one DWORD data point naming the
// relay, Flags bit 7 ("session from proxy"), lengths and checksums recomputed; a compressed session
// is sent on uncompressed. Pure: bytes in, new bytes (or null = forward unchanged) out.

import { extractCabinetFile, type ExtractOptions } from '../../cab';
import { decodeSqmSession, encodeSqmSession } from '../../codecs/sqm-session/codec';
import { FLAG_FROM_PROXY, SECTION_DWORD, type DwordSection, type SqmSession } from '../../codecs/sqm-session/types';

export interface RelayMark {
  id: number;
  value: number;
}

/** The augmented session, or null when the bytes are not a valid SQM session (then they go on untouched). */
export function augmentSession(bytes: Buffer, mark: RelayMark, maxRawBytes: number, fallback?: ExtractOptions['fallback']): Buffer | null {
  const decompress = (data: Buffer, maxBytes: number) => extractCabinetFile(data, { maxBytes, fallback });
  const decoded = decodeSqmSession(bytes, { maxRawBytes, decompress });
  const s = decoded.value;
  // Past the decoding limit the sections are not all known: re-encoding them would lose some.
  if (!s || s.undecoded !== undefined || decoded.findings.some((f) => f.level === 'error' || f.rule === 'sqm-v1.decode-limit')) return null;
  return encodeSqmSession(withMark(s, mark), { recomputeLengths: true, recomputeChecksums: true, uncompressed: s.compressed });
}

function withMark(s: SqmSession, mark: RelayMark): SqmSession {
  const point = { id: mark.id >>> 0, value: mark.value >>> 0, tickCount: 0 };
  const sections = [...s.sections];
  const at = sections.findIndex((c) => c.typeName === 'dword');
  if (at >= 0) {
    const dword = sections[at] as DwordSection;
    sections[at] = { ...dword, datapoints: [...dword.datapoints, point] };
  } else {
    // MS-SQMCS 3.3.1: the data point goes into a data point section; make one when there is none.
    sections.unshift({ type: SECTION_DWORD, typeName: 'dword', length: 12, offset: 0, datapoints: [point] });
  }
  return { ...s, header: { ...s.header, flags: (s.header.flags | FLAG_FROM_PROXY) >>> 0 }, sections };
}
