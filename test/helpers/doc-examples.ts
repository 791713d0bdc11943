// Reads the fenced examples of the markdown pages (README.md, docs/*.md) and compares what a shell
// block prints with the output it shows. The conventions are in docs/development.md, "The examples
// in these pages".

export interface DocBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  /** What follows the language on the fence line (`no-run`, …). */
  info: string;
  body: string[];
}

/** A run of commands and the output lines (`# → …`) shown right after them. */
export interface Segment {
  code: string[];
  expected: string[];
}

export const SHELL_LANGS = ['sh', 'bash', 'shell', 'console', 'zsh'];

/** Every fenced block of a markdown text, fences indented inside list items included. */
export function fencedBlocks(file: string, text: string): DocBlock[] {
  const lines = text.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j])) body.push(lines[j++].slice(indent));
    blocks.push({ file, line: i + 1, lang: open[2], info: open[3].trim(), body });
    i = j;
  }
  return blocks;
}

export const isShell = (b: DocBlock) => SHELL_LANGS.includes(b.lang);
export const isNoRun = (b: DocBlock) => /(^|\s)no-run(\s|$)/.test(b.info);

const OUTPUT = /^\s*# →(.*)$/;

/** Splits a block into commands and the output shown after them; `# →  x` (two spaces or more) continues the line before. */
export function segments(body: string[]): Segment[] {
  const out: Segment[] = [];
  let current: Segment = { code: [], expected: [] };
  for (const line of body) {
    const m = OUTPUT.exec(line);
    if (!m) {
      if (current.expected.length > 0) {
        out.push(current);
        current = { code: [], expected: [] };
      }
      current.code.push(line);
      continue;
    }
    const text = m[1];
    if (/^ {2,}\S/.test(text) && current.expected.length > 0) current.expected[current.expected.length - 1] += text.trim();
    else current.expected.push(text.replace(/^ /, '').trimEnd());
  }
  if (current.code.length > 0 || current.expected.length > 0) out.push(current);
  return out;
}

const MARK = '\x1e';

/** The script that runs a block: stderr into stdout, `set -e`, and a marker after each segment with shown output. */
export function blockScript(lang: string, segs: Segment[]): string {
  const head = ['exec 2>&1', lang === 'bash' ? 'set -e -o pipefail' : 'set -e'];
  const parts = segs.flatMap((s, i) => [...s.code, ...(s.expected.length > 0 ? [`printf '\\036%s\\036' ${i}`] : [])]);
  return [...head, ...parts, ''].join('\n');
}

/** The output printed before each segment's marker, by segment index (segments without shown output have none). */
export function splitOutput(output: string): Map<number, string> {
  const parts = output.split(new RegExp(`${MARK}(\\d+)${MARK}`));
  const bySegment = new Map<number, string>();
  for (let k = 1; k < parts.length; k += 2) bySegment.set(Number(parts[k]), parts[k - 1]);
  return bySegment;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A shown line as a pattern: `…` is any text; the whole printed line must match. */
export function linePattern(shown: string): RegExp {
  return new RegExp(`^${shown.split('…').map(escape).join('.*?')}$`, 's');
}

/** Null when every shown line appears in the output, in order; else the first shown line that does not. */
export function missingLine(shown: string[], output: string): string | null {
  const printed = output
    .split('\n')
    .map((l) => l.replace(/\r$/, '').trimEnd())
    .filter((l) => l !== '');
  let at = 0;
  for (const line of shown.filter((l) => l !== '')) {
    const re = linePattern(line);
    while (at < printed.length && !re.test(printed[at])) at++;
    if (at === printed.length) return line;
    at++;
  }
  return null;
}

/** GitHub's anchor for a heading text. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_\- ]/gu, '')
    .replace(/ /g, '-');
}
