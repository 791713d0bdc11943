// UTF-16LE helpers. Node's 'utf16le' decoder replaces unpaired surrogates, which is what we want
// for display; the raw bytes are always kept elsewhere for exact round trips.

export const decodeUtf16le = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf16le');
export const encodeUtf16le = (s: string): Buffer => Buffer.from(s, 'utf16le');
