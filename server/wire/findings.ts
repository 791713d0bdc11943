// Findings: what a decoder noticed about the bytes it read. Decoders never throw on bytes;
// they return findings that name the rule, the document section and, when known, the offset.

/**
 * `error`: the document forbids it and strict mode refuses the message.
 * `warning`: the document forbids it, but the message is still usable and is accepted.
 * `info`: a known difference between real clients and the text (recorded, not a violation).
 */
export type FindingLevel = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable machine-readable code, e.g. `sqm-v1.data-checksum`. */
  rule: string;
  /** Document and section it breaks, e.g. `MS-SQMCS 2.2.4.1`. */
  specRef: string;
  /** One line naming field, expected and got. */
  message: string;
  level: FindingLevel;
  /** Byte offset in the decoded buffer, when the problem sits at one place. */
  offset?: number;
}

/** Collects findings with less ceremony at call sites. */
export class Findings {
  readonly list: Finding[] = [];
  constructor(private readonly base = 0) {}

  add(level: FindingLevel, rule: string, specRef: string, message: string, offset?: number): void {
    const f: Finding = { rule, specRef, message, level };
    if (offset !== undefined) f.offset = this.base + offset;
    this.list.push(f);
  }
  error(rule: string, specRef: string, message: string, offset?: number): void {
    this.add('error', rule, specRef, message, offset);
  }
  warning(rule: string, specRef: string, message: string, offset?: number): void {
    this.add('warning', rule, specRef, message, offset);
  }
  info(rule: string, specRef: string, message: string, offset?: number): void {
    this.add('info', rule, specRef, message, offset);
  }
  get hasErrors(): boolean {
    return this.list.some((f) => f.level === 'error');
  }
}

export const hasErrors = (findings: readonly Finding[]): boolean => findings.some((f) => f.level === 'error');

/** Hex with 0x prefix and 8 digits, for messages. */
export const hex32 = (n: number): string => '0x' + (n >>> 0).toString(16).toUpperCase().padStart(8, '0');
