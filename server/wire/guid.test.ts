// GUID text ↔ bytes (MS-DTYP 2.3.4.2: Data1..3 little-endian, Data4 as bytes).

import { guidFromString, guidToString } from './guid';

it('writes Data1..3 little-endian and Data4 in order, upper case, in braces', () => {
  const bytes = Uint8Array.from([0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
  expect(guidToString(bytes)).toBe('{00112233-4455-6677-8899-AABBCCDDEEFF}');
  expect(guidToString(new Uint8Array(16))).toBe('{00000000-0000-0000-0000-000000000000}');
});

it('reads the 16 bytes where they lie in a larger buffer', () => {
  const big = Buffer.alloc(40, 0xee);
  big.fill(0x0a, 7, 23);
  expect(guidToString(big.subarray(7, 23))).toBe('{0A0A0A0A-0A0A-0A0A-0A0A-0A0A0A0A0A0A}');
});

it('round-trips every byte value through guidFromString', () => {
  for (let start = 0; start < 256; start += 16) {
    const bytes = Buffer.from(Array.from({ length: 16 }, (_, i) => (start + i * 17) & 0xff));
    const text = guidToString(bytes);
    expect(text).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/);
    expect(guidFromString(text)?.equals(bytes)).toBe(true);
    expect(guidFromString(text.toLowerCase().slice(1, -1))?.equals(bytes)).toBe(true);
  }
});
