// parseSendArgs and the default cabinet of `sqm-cer-mock send` (the flows themselves: test/e2e/send-cli.test.ts).

import fs from 'node:fs';
import { readCabinetDirectory } from './cab';
import { parseSendArgs, samplePath } from './send-cli';
import { cabinetFor } from './send/cer';
import { buildWerReport } from './testing';

describe('parseSendArgs', () => {
  it('gives defaults: partner windows, the samples, 15 s', () => {
    expect(parseSendArgs(['v1', '--url', 'http://127.0.0.1:8080'])).toMatchObject({ flow: 'v1', partner: 'windows', files: [], compress: false, timeoutMs: 15000 });
  });

  it('takes several --file for v2 only', () => {
    expect(parseSendArgs(['v2', '--url', 'http://h', '--file', 'a', '--file', 'b'])!.files).toEqual(['a', 'b']);
    expect(() => parseSendArgs(['v1', '--url', 'http://h', '--file', 'a', '--file', 'b'])).toThrow('--file: expected one file (several only with send v2), got 2');
  });

  it.each([
    [['v1', '--url', 'ftp://h'], '--url: expected an absolute http(s) URL, got "ftp://h"'],
    [['v1', '--url', 'http://h', '--timeout-ms', '0'], '--timeout-ms: expected a whole number of milliseconds ≥ 1, got "0"'],
    [['ceip', '--url', 'http://h', '--service', 'relative'], '--service: expected an absolute http(s) URL, got "relative"'],
    [['cer', '--url', 'http://h', '--compress'], '--compress: expected it with send v2 only, got send cer'],
    [['v1', 'v2', '--url', 'http://h'], 'the flow: expected one of v1, v2, cer, ceip, got "v1 v2"'],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseSendArgs(argv)).toThrow(message);
  });

  it('--help is null', () => {
    expect(parseSendArgs(['--help'])).toBeNull();
  });
});

describe('the defaults', () => {
  it('the samples are found from the source too', () => {
    expect(fs.existsSync(samplePath('report.utf16'))).toBe(true);
  });

  it("the default cabinet holds each file the report's FILES lists, else report.txt", () => {
    const names = (cab: Buffer) => readCabinetDirectory(cab).value!.files.map((f) => f.name);
    const files = [
      { filename: 'WERInternalMetadata.xml', filetype: '1' },
      { filename: 'memory.hdmp', filetype: '2' },
    ];
    expect(names(cabinetFor(buildWerReport({ files })))).toEqual(['WERInternalMetadata.xml', 'memory.hdmp']);
    expect(names(cabinetFor(buildWerReport({ files: null })))).toEqual(['report.txt']);
  });
});
