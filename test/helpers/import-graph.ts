// The import graph of a source folder, read with the TypeScript compiler API (every import form, type-only
// included), a rule engine over it (forbidden imports, forbidden text, cycles) and Tarjan SCC cycle search.
// Test-only: used by server/architecture.test.ts, never shipped.

import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One module reference: `to` is a path relative to the base ('server/store/index.ts') or a package name. */
export interface Edge {
  from: string;
  to: string;
  specifier: string;
  typeOnly: boolean;
  line: number;
}

export interface Graph {
  files: string[];
  edges: Edge[];
  /** Relative specifiers that name no file (a resolver bug or a broken import). */
  unresolved: Edge[];
  text: Map<string, string>;
}

/** Says whether a file (path relative to the base, '/'-separated) is in a set. */
export type Match = (file: string) => boolean;
/** A forbidden target: 'pkg' (and 'pkg/…'), 'folder/' (anything under it), 'file.ts', or a test. */
export type Target = string | ((to: string, from: string) => boolean);

export type Rule =
  | { id: string; says: string; files: Match; mayNotImport: Target[] }
  | { id: string; says: string; files: Match; mayNotContain: RegExp }
  | { id: string; says: string; noCycles: (file: string) => string };

export interface Violation {
  rule: string;
  what: string;
}

const posix = (p: string) => p.split(path.sep).join('/');

/** Every `.ts` file under `base/folder` but `*.test.ts`, with its module references resolved. */
export function buildGraph(base: string, folder: string, skip: Match = () => false): Graph {
  const files = listSources(path.join(base, folder))
    .map((f) => posix(path.relative(base, f)))
    .filter((f) => !skip(f))
    .sort();
  const graph: Graph = { files, edges: [], unresolved: [], text: new Map() };
  for (const file of files) {
    const text = fs.readFileSync(path.join(base, file), 'utf8');
    graph.text.set(file, text);
    for (const ref of referencesOf(file, text)) {
      const to = resolve(base, file, ref.specifier);
      (to === undefined ? graph.unresolved : graph.edges).push({ from: file, to: to ?? ref.specifier, ...ref });
    }
  }
  return graph;
}

function listSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listSources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

type Reference = Omit<Edge, 'from' | 'to'>;

/** import, import type, export … from, export * from, import x = require(), require(), import(), typeof import(). */
export function referencesOf(fileName: string, text: string): Reference[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Reference[] = [];
  const visit = (node: ts.Node): void => {
    const found = specifierOf(node);
    if (found && ts.isStringLiteralLike(found.literal)) {
      const line = sf.getLineAndCharacterOfPosition(found.literal.getStart(sf)).line + 1;
      out.push({ specifier: found.literal.text, typeOnly: found.typeOnly, line });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function specifierOf(node: ts.Node): { literal: ts.Node; typeOnly: boolean } | undefined {
  if (ts.isImportDeclaration(node)) return { literal: node.moduleSpecifier, typeOnly: !!node.importClause?.isTypeOnly };
  if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
    return { literal: node.moduleSpecifier, typeOnly: node.isTypeOnly };
  }
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
    return { literal: node.moduleReference.expression, typeOnly: node.isTypeOnly };
  }
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
    return { literal: node.argument.literal, typeOnly: true };
  }
  if (ts.isCallExpression(node) && node.arguments.length > 0) {
    const callee = node.expression;
    const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
    const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
    if (isImport || isRequire) return { literal: node.arguments[0], typeOnly: false };
  }
  return undefined;
}

/** A relative specifier → the file it names (x, x.ts, x/index.ts; x.js → x.ts); a package name as is. */
function resolve(base: string, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return specifier;
  const target = path.resolve(base, path.dirname(from), specifier);
  const candidates = [`${target}.ts`, path.join(target, 'index.ts'), target.replace(/\.js$/, '.ts'), target];
  const hit = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  return hit === undefined ? undefined : posix(path.relative(base, hit));
}

/** Files under any of the folders ('server/wire/') or equal to any of the files ('server/app.ts'). */
export const under =
  (...prefixes: string[]): Match =>
  (f) =>
    prefixes.some((p) => (p.endsWith('/') ? f.startsWith(p) : f === p));
export const not =
  (m: Match): Match =>
  (f) =>
    !m(f);
export const anyOf =
  (...ms: Match[]): Match =>
  (f) =>
    ms.some((m) => m(f));

/** Each folder directly under `root` is one node ('server/http/'); each file directly in `root` is its own. */
export const topFolderOf =
  (root: string) =>
  (file: string): string => {
    const rest = file.slice(root.length + 1).split('/');
    return rest.length === 1 ? file : `${root}/${rest[0]}/`;
  };

const hits = (target: Target, to: string, from: string): boolean => {
  if (typeof target === 'function') return target(to, from);
  if (target.endsWith('/')) return to.startsWith(target);
  return to === target || to.startsWith(`${target}/`);
};

/** Every violation of every rule, as `{ rule: id, what: 'a → b' | 'a → b → a' | 'a' }`, sorted, deduplicated. */
export function evaluate(graph: Graph, rules: Rule[]): Violation[] {
  const out = new Map<string, Violation>();
  const add = (rule: string, what: string) => out.set(`${rule}: ${what}`, { rule, what });
  for (const rule of rules) {
    if ('noCycles' in rule) {
      for (const cycle of findCycles(collapse(graph, rule.noCycles))) add(rule.id, cycle.join(' → '));
    } else if ('mayNotContain' in rule) {
      for (const f of graph.files.filter(rule.files)) {
        if (rule.mayNotContain.test(graph.text.get(f) ?? '')) add(rule.id, f);
      }
    } else {
      for (const e of graph.edges.filter((x) => rule.files(x.from))) {
        if (rule.mayNotImport.some((t) => hits(t, e.to, e.from))) add(rule.id, `${e.from} → ${e.to}`);
      }
    }
  }
  return [...out.keys()].sort().map((k) => out.get(k)!);
}

export const formatViolation = (v: Violation): string => `${v.rule}: ${v.what}`;

/** The graph's local edges with each file replaced by its node; edges inside one node are dropped. */
function collapse(graph: Graph, node: (file: string) => string): Map<string, Set<string>> {
  const inGraph = new Set(graph.files);
  const adj = new Map<string, Set<string>>();
  for (const f of graph.files) adj.set(node(f), adj.get(node(f)) ?? new Set());
  for (const e of graph.edges.filter((x) => inGraph.has(x.to))) {
    const [a, b] = [node(e.from), node(e.to)];
    if (a !== b || e.from === e.to) adj.get(a)!.add(b);
  }
  return adj;
}

/** Tarjan's strongly connected components (each SCC of more than one node, or with a self-edge, holds a cycle). */
export function stronglyConnected(adj: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of [...(adj.get(v) ?? [])].sort()) {
      if (!index.has(w)) connect(w);
      if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, low.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      onStack.delete(w);
      scc.push(w);
      if (w === v) break;
    }
    out.push(scc.sort());
  };
  for (const v of [...adj.keys()].sort()) if (!index.has(v)) connect(v);
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

/** Cycles that cover every edge of every SCC: for each uncovered edge a → b, b's shortest way back to a. */
export function findCycles(adj: Map<string, Set<string>>): string[][] {
  const found = new Map<string, string[]>();
  for (const scc of stronglyConnected(adj)) {
    const inScc = new Set(scc);
    const covered = new Set<string>();
    for (const [a, b] of scc.flatMap((a) => [...(adj.get(a) ?? [])].sort().map((b) => [a, b]))) {
      const back = inScc.has(b) && !covered.has(`${a} ${b}`) ? shortestPath(adj, inScc, b, a) : undefined;
      if (back === undefined) continue;
      const cycle = rotateToSmallest([a, ...back.slice(0, -1)]);
      cycle.forEach((n, i) => covered.add(`${n} ${cycle[(i + 1) % cycle.length]}`));
      found.set(cycle.join(' '), [...cycle, cycle[0]]);
    }
  }
  return [...found.values()];
}

/** Breadth-first search inside one SCC: the nodes from `start` to `end`, both included ([start] if equal). */
function shortestPath(adj: Map<string, Set<string>>, inScc: Set<string>, start: string, end: string): string[] | undefined {
  const parent = new Map<string, string>([[start, start]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    if (v === end) return pathTo(parent, end);
    for (const w of [...(adj.get(v) ?? [])].sort()) {
      if (!inScc.has(w) || parent.has(w)) continue;
      parent.set(w, v);
      queue.push(w);
    }
  }
  return undefined;
}

function pathTo(parent: Map<string, string>, end: string): string[] {
  const out = [end];
  while (parent.get(out[0]) !== out[0]) out.unshift(parent.get(out[0])!);
  return out;
}

/** The same cycle (without its closing node) starting at its smallest node, so it reads the same every run. */
function rotateToSmallest(cycle: string[]): string[] {
  const i = cycle.indexOf([...cycle].sort()[0]);
  return [...cycle.slice(i), ...cycle.slice(0, i)];
}
