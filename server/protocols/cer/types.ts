// Typed values of Corporate Error Reporting v2 (MS-CER2): the level-1 WERREPORT (2.2.1) and the
// instructions of a level-1 answer (2.2.2). Attribute values are kept as sent (strings).

export interface WerMachineInfo {
  machinename: string;
  os: string;
  lcid: string;
  oem?: string;
}
export interface WerUserInfo {
  username: string;
}
export interface WerApplicationInfo {
  appname: string;
  apppath: string;
  appcompany?: string;
}
export interface WerEventInfo {
  reporttype: string;
  eventtype: string;
  friendlyeventname?: string;
  eventdescription?: string;
  eventtime: string;
}
export interface WerParameter {
  id: string;
  name?: string;
  value: string;
}
export interface WerSecondaryParameter {
  name: string;
  value: string;
}
export interface WerFile {
  filename: string;
  filetype: string;
}

export type WerEncoding = 'utf-16le' | 'utf-16be' | 'utf-8';

/** MS-CER2 2.2.1.3: a level-1 report. Elements the report lacks are null / empty lists. */
export interface WerReport {
  encoding: WerEncoding;
  bom: boolean;
  machineInfo: WerMachineInfo | null;
  userInfo: WerUserInfo | null;
  applicationInfo: WerApplicationInfo | null;
  eventInfo: WerEventInfo | null;
  parameters: WerParameter[];
  secondaryParameters: WerSecondaryParameter[];
  files: WerFile[];
}

/** MS-CER2 2.2.2: what a level-1 answer tells the client (every key optional). */
export interface CerInstructions {
  /** "1" or a URL: the client shows a response prompt pointing there. */
  response?: string;
  bucket?: number;
  bucketTable?: number;
  iData?: 0 | 1;
  memoryDump?: 0 | 1;
  regKey?: string[];
  fDoc?: 0 | 1;
  wql?: string[];
  getFile?: string[];
  getFileVersion?: string[];
  /** The level-2 destination url-path (backslashes, as the document's examples). */
  dumpFile?: string;
  regTree?: string[];
  /** Keys the document does not list (a real server's `DumpServer`, `ModuleInfo`), sent verbatim after its own. */
  extra?: Record<string, string>;
}

/** MS-CER2 2.2.2 StatusRule: the keys (case-sensitive) in the order the ABNF lists them. */
export const ANSWER_KEYS = ['Response', 'Bucket', 'BucketTable', 'iData', 'MemoryDump', 'RegKey', 'fDoc', 'WQL', 'GetFile', 'GetFileVersion', 'DumpFile', 'RegTree'] as const;
export type AnswerKey = (typeof ANSWER_KEYS)[number];

/**
 * The form of a level-1 answer (INTERFACE.md, CER decisions), keys named as in MS-CER2 2.2.2 (an
 * `extra` key by its own name): which keys to leave out, their order (keys not listed follow in
 * the document's order, then the extra ones), and where to write ` = ` instead of `=`.
 */
export interface AnswerShape {
  omit?: readonly string[];
  order?: readonly string[];
  spacedEquals?: boolean | readonly string[];
}
