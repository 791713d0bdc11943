// The hex dump with ASCII beside it, virtualised (a 20 MiB body is 1.3 million rows; only those in
// sight are drawn, and past the browser's height limit the scrollbar is scaled). One byte range is
// highlighted; hovering or clicking a byte, or moving the cursor with the arrow keys, reports it.

import { h, fill } from './dom.js';
import { BYTES_PER_ROW, hexRow } from './format.js';

const ROW = 18;
/** Below Chrome's and Firefox's largest element heights. */
const MAX_PX = 15_000_000;

export interface HexView {
  el: HTMLElement;
  /** Highlights `[start, end)` and, with `reveal`, scrolls it into sight. */
  highlight(start: number, end: number, reveal?: boolean): void;
  /** Puts the cursor on a byte and scrolls to it. */
  cursorTo(offset: number): void;
}

export function hexView(bytes: Uint8Array, on: { hover(offset: number): void; select(offset: number): void }): HexView {
  const rowCount = Math.max(1, Math.ceil(bytes.length / BYTES_PER_ROW));
  const total = rowCount * ROW;
  const spacer = h('div');
  spacer.style.height = `${Math.min(total, MAX_PX)}px`;
  const rows = h('div', { class: 'rows' });
  const el = h('div', { class: 'hex', tabindex: 0, role: 'grid', 'aria-label': `Request body, ${bytes.length} bytes, hex and ASCII` }, spacer, rows);
  let hl: [number, number] = [0, 0];
  let cursor = -1;

  /** Pixels of content per pixel of scrollbar (1 unless the body is huge). */
  const ratio = (): number => {
    const view = el.clientHeight;
    const virt = Math.min(total, MAX_PX);
    return virt <= view ? 1 : Math.max(1, (total - view) / (virt - view));
  };

  function byteEl(offset: number, text: string): HTMLElement {
    const b = h('b', { 'data-o': offset }, text);
    if (offset >= hl[0] && offset < hl[1]) b.className = 'hl';
    if (offset === cursor) b.classList.add('cur');
    return b;
  }

  function paint(): void {
    const px = el.scrollTop * ratio();
    const first = Math.floor(px / ROW);
    const visible = Math.ceil(el.clientHeight / ROW) + 2;
    rows.style.transform = `translateY(${el.scrollTop - (px % ROW)}px)`;
    const out: HTMLElement[] = [];
    for (let row = first; row < Math.min(rowCount, first + visible); row++) {
      const { offset, hex, ascii } = hexRow(bytes, row);
      const base = row * BYTES_PER_ROW;
      const line = h('div', { class: 'hexrow' }, h('span', { class: 'off' }, offset));
      hex.forEach((x, i) => line.append(byteEl(base + i, x), i === 7 ? '  ' : ' '));
      line.append(' '.repeat((BYTES_PER_ROW - hex.length) * 3));
      const asc = h('span', { class: 'ascii' });
      ascii.forEach((c, i) => asc.append(byteEl(base + i, c)));
      line.append(asc);
      out.push(line);
    }
    fill(rows, ...out);
  }

  /** The drawn bytes' classes brought up to date, without drawing them again (a hovered byte stays the same element). */
  function restyle(): void {
    for (const b of rows.querySelectorAll('b')) {
      const o = Number(b.dataset.o);
      b.classList.toggle('hl', o >= hl[0] && o < hl[1]);
      b.classList.toggle('cur', o === cursor);
    }
  }

  function reveal(offset: number): void {
    const top = Math.floor(offset / BYTES_PER_ROW) * ROW;
    const px = el.scrollTop * ratio();
    if (top < px || top + ROW > px + el.clientHeight) el.scrollTop = Math.max(0, (top - el.clientHeight / 3) / ratio());
  }

  const offsetOf = (e: Event): number | null => {
    const t = e.target as HTMLElement;
    return t.tagName === 'B' && t.dataset.o !== undefined ? Number(t.dataset.o) : null;
  };
  el.addEventListener('scroll', () => requestAnimationFrame(paint));
  el.addEventListener('mouseover', (e) => {
    const o = offsetOf(e);
    if (o !== null) on.hover(o);
  });
  el.addEventListener('click', (e) => {
    const o = offsetOf(e);
    if (o !== null) view.cursorTo(o);
  });
  el.addEventListener('keydown', (e) => {
    const step: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: BYTES_PER_ROW,
      ArrowUp: -BYTES_PER_ROW,
      PageDown: BYTES_PER_ROW * 16,
      PageUp: -BYTES_PER_ROW * 16,
    };
    if (step[e.key] === undefined) return;
    e.preventDefault();
    view.cursorTo(Math.max(0, Math.min(bytes.length - 1, (cursor < 0 ? 0 : cursor) + step[e.key])));
  });

  const view: HexView = {
    el,
    highlight(start, end, show = false) {
      hl = [start, end];
      if (show) reveal(start);
      restyle();
    },
    cursorTo(offset) {
      cursor = offset;
      reveal(offset);
      on.select(offset);
      restyle();
    },
  };
  requestAnimationFrame(paint);
  return view;
}
