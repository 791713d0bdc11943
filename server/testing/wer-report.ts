// Builds CER level-1 reports for tests: WERREPORT documents (MS-CER2 2.2.1) from parts, encoded as
// Windows sends them (UTF-16LE after the BOM FF FE) unless another encoding is asked for.

export interface WerParts {
  machine?: Record<string, string> | null;
  user?: Record<string, string> | null;
  application?: Record<string, string> | null;
  event?: Record<string, string> | null;
  parameters?: { id: string; name?: string; value: string }[];
  secondaryParameters?: { name: string; value: string }[];
  files?: { filename: string; filetype: string }[] | null;
  /** Put before the root element (a DOCTYPE, say). */
  prolog?: string;
}

export type WerTextEncoding = 'utf-16le' | 'utf-16be' | 'utf-8';

export interface BuildWerOptions {
  /** Default 'utf-16le'. The XML declaration names UTF-8 or UTF-16 to match. */
  encoding?: WerTextEncoding;
  /** Default true for UTF-16, false for UTF-8. */
  bom?: boolean;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const attrs = (a: Record<string, string>): string =>
  Object.entries(a)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
const element = (name: string, a: Record<string, string> | null | undefined): string => (a ? `<${name}${attrs(a)}/>\n` : '');

/** The MS-CER2 4.1 report's parts (its first two PARAMETERs); override any of them. */
export const DEFAULT_WER_PARTS: Required<Omit<WerParts, 'prolog'>> = {
  machine: { machinename: 'client-machine.corp.cliendomain.com', os: '6.1.6561.2.0.0.256.1', lcid: '1033' },
  user: { username: 'Username' },
  application: { appname: 'WER GPF Test Utility', apppath: 'E:\\tools\\GPFMe.exe', appcompany: 'Test Corporation' },
  event: { reporttype: '2', eventtime: '128496925196486378', eventtype: 'APPCRASH', friendlyeventname: 'Stopped working' },
  parameters: [
    { id: '0', name: 'Application Name', value: 'GPFMe.exe' },
    { id: '1', name: 'Application Version', value: '6.0.4082.0' },
  ],
  secondaryParameters: [],
  files: [{ filename: 'Version.txt', filetype: '5' }],
};

/**
 * A WERREPORT document as text. `null` drops an element; parameters are written in the order given.
 * `declared` is the declaration's encoding= (default `UTF-16`).
 * @example buildWerXml({ event: { ...DEFAULT_WER_PARTS.event, eventtype: 'MyEvent' } })
 */
export function buildWerXml(parts: WerParts = {}, declared = 'UTF-16'): string {
  const p = { ...DEFAULT_WER_PARTS, ...parts };
  const signature = [...p.parameters.map((x) => element('PARAMETER', x)), ...p.secondaryParameters.map((x) => element('SECONDARYPARAMETER', x))].join('');
  const files = p.files ? `<FILES>\n${p.files.map((f) => element('FILE', f)).join('')}</FILES>\n` : '';
  return (
    `<?xml version="1.0" encoding="${declared}"?>\n` +
    (parts.prolog ?? '') +
    '<WERREPORT xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
    element('MACHINEINFO', p.machine) +
    element('USERINFO', p.user) +
    element('APPLICATIONINFO', p.application) +
    element('EVENTINFO', p.event) +
    `<SIGNATURE>\n${signature}</SIGNATURE>\n` +
    files +
    '</WERREPORT>\n'
  );
}

/**
 * Text as bytes in one of the encodings a level-1 body may use, with or without its BOM.
 * @example encodeWerText('<WERREPORT/>') // FF FE 3C 00 57 00 …
 */
export function encodeWerText(text: string, options: BuildWerOptions = {}): Buffer {
  const encoding = options.encoding ?? 'utf-16le';
  const bom = options.bom ?? encoding !== 'utf-8';
  if (encoding === 'utf-8') return Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, 'utf8')]);
  const le = Buffer.from(text, 'utf16le');
  if (encoding === 'utf-16be') return Buffer.concat([Buffer.from(bom ? [0xfe, 0xff] : []), le.swap16()]);
  return Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), le]);
}

/**
 * A level-1 report body built from parts: UTF-16LE with a BOM by default, as Windows sends it.
 * @example
 * const body = buildWerReport({ event: { ...DEFAULT_WER_PARTS.event, eventtype: 'AppHang' } });
 * await fetch(`${mock.url}/stage2.htm`, { method: 'POST', body });
 */
export function buildWerReport(parts: WerParts = {}, options: BuildWerOptions = {}): Buffer {
  const declared = options.encoding === 'utf-8' ? 'UTF-8' : 'UTF-16';
  return encodeWerText(buildWerXml(parts, declared), options);
}
