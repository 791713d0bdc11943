// The style of GET /__admin/ui: system colours in light and dark (prefers-color-scheme), a visible
// focus ring for keyboard use, and the fixed row heights the virtualised lists rely on.

export const PAGE_CSS = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1b1b1b; --muted: #666; --line: #d8d8d8; --panel: #f5f5f7; --accent: #0b57d0;
  --hl: #ffe38a; --hl-fg: #000; --sel: #cfe0ff; --error: #b3261e; --warning: #8a5a00; --info: #3a6ea5; --expectation: #6b3fa0; --ok: #1e7d32;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #17181a; --fg: #e6e6e6; --muted: #a0a0a0; --line: #3a3b3e; --panel: #222326; --accent: #8ab4f8;
    --hl: #6b5a00; --hl-fg: #fff; --sel: #27406b; --error: #f2b8b5; --warning: #f0c674; --info: #9ecbff; --expectation: #d0b3ff; --ok: #8fd694; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .5rem 1rem; border-bottom: 1px solid var(--line); background: var(--panel); }
h1 { font-size: 1.1rem; margin: 0; }
h2 { font-size: 1rem; margin: 1rem 0 .5rem; }
nav a { margin-right: .75rem; color: var(--accent); text-decoration: none; padding: .2rem .4rem; border-radius: 4px; }
nav a[aria-current="page"] { background: var(--sel); color: var(--fg); }
.tools { margin-left: auto; display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
.tools input { width: 7rem; }
button, select, input, textarea { font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: .2rem .5rem; }
button { cursor: pointer; }
button:hover { border-color: var(--accent); }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
main { padding: .5rem 1rem 2rem; }
#status { padding: 0 1rem; min-height: 1.2rem; color: var(--muted); }
#status.error { color: var(--error); }
#login { padding: 1rem; }
code, .mono { font-family: var(--mono); font-size: 12.5px; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-bottom: .5rem; }
.filters input[type=search] { width: 18rem; }
.count { color: var(--muted); }
.grid { display: grid; grid-template-columns: 4.5rem 6.5rem 4rem 7rem 3.5rem minmax(12rem, 1fr) 3.5rem 9rem 5rem 4rem 5rem; gap: 0 .5rem; align-items: center; }
.list-head { font-weight: 600; border-bottom: 1px solid var(--line); padding: .2rem .25rem; }
.scroller { position: relative; overflow-y: auto; height: calc(100vh - 13rem); min-height: 300px; border: 1px solid var(--line); border-radius: 4px; }
.rows { position: absolute; left: 0; right: 0; top: 0; }
.row { height: 24px; padding: 0 .25rem; white-space: nowrap; cursor: pointer; border-bottom: 1px solid var(--line); }
.row > span { overflow: hidden; text-overflow: ellipsis; }
.row:hover { background: var(--panel); }
.row[aria-selected="true"] { background: var(--sel); }
.st-2 { color: var(--ok); } .st-4, .st-5 { color: var(--error); } .st-3 { color: var(--info); }
.lvl-error { color: var(--error); } .lvl-warning { color: var(--warning); } .lvl-info { color: var(--info); } .lvl-expectation { color: var(--expectation); }
.detail { display: grid; grid-template-columns: minmax(22rem, 1fr) minmax(36rem, 1.2fr); gap: 1rem; align-items: start; }
@media (max-width: 1100px) { .detail { grid-template-columns: 1fr; } }
.sticky { position: sticky; top: 0; }
.panel { border: 1px solid var(--line); border-radius: 4px; padding: .5rem; background: var(--bg); }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .75rem; }
.kv dt { color: var(--muted); } .kv dd { margin: 0; word-break: break-all; }
pre { margin: 0; white-space: pre-wrap; word-break: break-all; font-family: var(--mono); font-size: 12.5px; }
.fields { max-height: 70vh; overflow: auto; font-family: var(--mono); font-size: 12.5px; }
.field { display: block; width: 100%; text-align: left; border: 0; border-radius: 0; padding: 1px 4px; background: none; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.field .label { font-weight: 600; } .field .range { color: var(--muted); } .field .value { margin-left: .5rem; }
.field.hl, .field:hover { background: var(--hl); color: var(--hl-fg); }
.field.far { color: var(--muted); font-style: italic; }
.hex { position: relative; overflow-y: auto; height: 70vh; font-family: var(--mono); font-size: 12.5px; border: 1px solid var(--line); border-radius: 4px; }
.hex .rows { padding-left: .25rem; }
.hexrow { height: 18px; line-height: 18px; white-space: pre; }
.hexrow .off { color: var(--muted); margin-right: 1ch; }
.hexrow .ascii { margin-left: 1ch; }
.hexrow b { font-weight: normal; cursor: pointer; }
.hexrow b.hl { background: var(--hl); color: var(--hl-fg); }
.hexrow b.cur { outline: 1px solid var(--accent); }
.findings li { margin-bottom: .25rem; }
.buttons { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.timeline { list-style: none; padding-left: 1rem; border-left: 2px solid var(--line); margin: .25rem 0 .75rem .5rem; }
.timeline li { margin: .3rem 0; position: relative; }
.timeline li::before { content: ""; position: absolute; left: -1.37rem; top: .45rem; width: .6rem; height: .6rem; border-radius: 50%; background: var(--line); }
.timeline li.violated::before { background: var(--error); }
.setup { color: var(--info); }
.violation { color: var(--error); }
.editor { display: grid; grid-template-columns: 3.5rem 1fr; font-family: var(--mono); font-size: 12.5px; border: 1px solid var(--line); border-radius: 4px; max-height: 50vh; overflow: auto; }
.editor .ln { color: var(--muted); text-align: right; padding-right: .5rem; }
.editor .ln.bad, .editor .src.bad { background: var(--hl); color: var(--hl-fg); }
.editor .src { white-space: pre; }
textarea { width: 100%; min-height: 14rem; font-family: var(--mono); font-size: 12.5px; }
.errors { color: var(--error); }
.muted { color: var(--muted); }
`;
