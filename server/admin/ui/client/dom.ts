// A small element builder: no framework, no innerHTML of data (text is always text).

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | ((e: Event) => void) | undefined>;

/** `h('button', { class: 'x', onclick: f }, 'Go')`; `on*` attributes are listeners, `true` a bare attribute. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
  }
}

/** Replaces the children of `el`. */
export const fill = (el: Element, ...children: Child[]): void => {
  el.replaceChildren();
  append(el, children);
};

export function status(text: string, isError = false): void {
  const el = document.getElementById('status')!;
  el.textContent = text;
  el.classList.toggle('error', isError);
}

/** Saves bytes or text as a download (object URL: the API's downloads need the token header). */
export function download(name: string, data: BlobPart, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
