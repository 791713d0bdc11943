#!/usr/bin/env node
// Bundles the compiled CLI (dist/server/cli-main.js and everything it imports, packages included)
// into one file, dist/server/cli-main.bundle.js, which the bin (dist/server/cli.js) runs with V8's
// code cache. Start-up then reads one file instead of ~400 and compiles almost nothing
// (issue 16 item 5; docs/development.md, "Start-up").
//
// Left out of the bundle, loaded from disk when needed (every byte of the bundle is read, and what
// its modules run at load is compiled, at each start):
// - better-sqlite3 (a native addon);
// - the subcommands (manifest, report, send), which serving never loads;
// - multer, loaded at the first multipart PUT /__admin/scenario (server/admin/scenario-routes.ts);
// - iconv-lite's tables of the Asian double-byte code pages (it loads them when one is first used);
// - zod's messages in languages other than English (`z.locales`, which this program never reads).
// The writer thread (dist/server/store/writer-thread.js) is its own entry, started by path, so it
// stays as tsc wrote it.
//
// Each dist/server file keeps its own __dirname and __filename (the files it finds beside itself,
// the migrations, the web page, the writer thread, package.json, are found as before): a line put
// before its code sets them from the bundle's folder.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const serverDist = path.join(root, 'dist', 'server');
const entry = path.join(serverDist, 'cli-main.js');
const outfile = path.join(serverDist, 'cli-main.bundle.js');
const BUNDLE_DIR = '__sqmBundleDir';
const SUBCOMMANDS = /^\.\/(manifest|report|send)-cli$/;
const nodeModules = path.join(root, 'node_modules') + path.sep;

/** A module of `pkg` (at the top of node_modules, where the bundle's own require() finds it) as a package path. */
const packagePath = (resolved, pkg) => (resolved.startsWith(nodeModules + pkg + path.sep) ? resolved.slice(nodeModules.length).split(path.sep).join('/') : undefined);

/** Leaves some modules out of the bundle: see the file's header. */
const loadedFromDisk = {
  name: 'loaded-from-disk',
  setup(build) {
    build.onResolve({ filter: SUBCOMMANDS }, (args) => (args.importer === entry ? { path: args.path, external: true } : undefined));
    build.onResolve({ filter: /^multer$/ }, () => ({ path: 'multer', external: true }));
    // build.resolve() runs these callbacks again: `again` marks that inner call.
    const resolved = (args) => build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { again: true } });
    build.onResolve({ filter: /^\.\/tables\/.*\.json$/ }, async (args) => {
      if (args.pluginData?.again) return undefined;
      const r = await resolved(args);
      const p = r.errors.length === 0 ? packagePath(r.path, 'iconv-lite') : undefined;
      return p ? { path: p, external: true } : undefined;
    });
    // zod's classic API re-exports every locale as `z.locales` (~360 KiB); English is set up by its
    // own import. A stand-in loads the real index only if something reads a locale.
    build.onResolve({ filter: /^\.\.\/locales\/index\.cjs$/ }, async (args) => {
      if (args.pluginData?.again) return undefined;
      const r = await resolved(args);
      return r.errors.length === 0 && packagePath(r.path, 'zod') ? { path: r.path, namespace: 'lazy-locales' } : undefined;
    });
    build.onResolve({ filter: /^zod\/v4\/locales$/, namespace: 'lazy-locales' }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-locales' }, async (args) => {
      const names = Object.keys(require(args.path)).filter((k) => k !== '__esModule');
      const real = JSON.stringify(packagePath(args.path, 'zod').replace(/^zod\/v4\/locales\/index\.cjs$/, 'zod/v4/locales'));
      const getters = names.map((n) => `${JSON.stringify(n)}: { enumerable: true, get: () => load()[${JSON.stringify(n)}] }`).join(',\n');
      return {
        contents: `let real;\nconst load = () => (real ??= require(${real}));\nObject.defineProperty(exports, '__esModule', { value: true });\nObject.defineProperties(exports, {\n${getters}\n});\n`,
        loader: 'js',
      };
    });
  },
};

/** Gives each dist/server module its own __dirname/__filename, as if it were loaded from its file. */
const ownDirname = {
  name: 'own-dirname',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(serverDist + path.sep)) return undefined;
      const rel = path.relative(serverDist, args.path).split(path.sep);
      const parts = JSON.stringify(rel).slice(1, -1);
      const head = `var __filename = require("node:path").join(${BUNDLE_DIR}, ${parts}), __dirname = require("node:path").dirname(__filename);`;
      const code = await fs.promises.readFile(args.path, 'utf8');
      // After tsc's "use strict": a directive counts only as the first statement.
      const strict = /^"use strict";\r?\n/.exec(code);
      const contents = strict ? `${strict[0]}${head}\n${code.slice(strict[0].length)}` : `${head}\n${code}`;
      return { contents, loader: 'js' };
    });
  },
};

async function main() {
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Smaller is faster to read; names stay readable in a profile and an unexpected error's message.
    minifyWhitespace: true,
    minifySyntax: true,
    external: ['better-sqlite3'],
    banner: { js: `var ${BUNDLE_DIR} = __dirname;` },
    plugins: [ownDirname, loadedFromDisk],
    logLevel: 'warning',
    legalComments: 'none',
    metafile: process.env.BUNDLE_META === '1',
  });
  if (result.metafile) process.stdout.write(await esbuild.analyzeMetafile(result.metafile));
  // The bin reads the bundle as a one-byte string when it is ASCII, which esbuild's output is.
  const bytes = fs.readFileSync(outfile);
  const at = bytes.findIndex((b) => b > 0x7f);
  if (at >= 0) throw new Error(`${path.relative(root, outfile)}: a byte over 0x7f at offset ${at} (expected ASCII only)`);
}

main().catch((e) => {
  process.stderr.write(`bundle-cli: ${e.message}\n`);
  process.exit(1);
});
