#!/usr/bin/env node
// The bin. It runs the CLI (cli-main.ts) from one file, dist/server/cli-main.bundle.js, which
// `npm run build` makes with esbuild (scripts/bundle-cli.js), compiled with V8's code cache: one
// file to read and almost nothing to compile is what brings start-up under 300 ms (issue 16 item 5;
// docs/development.md, "Start-up"). Without the bundle (only tsc ran) it loads the modules one by one.

import path from 'node:path';
import { runWithCodeCache } from './launch/code-cache';

if (!runWithCodeCache(path.join(__dirname, 'cli-main.bundle.js'))) void import('./cli-main');
