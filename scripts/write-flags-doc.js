#!/usr/bin/env node
// Rewrites the flags table of docs/cli.md (between <!-- flags:start --> and <!-- flags:end -->) from the
// option table in server/options.ts (built). Run `npm run docs:flags`; a unit test fails if they differ.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { withFlagsTable } = require('../dist/server/options.js');
const doc = path.join(__dirname, '..', 'docs', 'cli.md');
fs.writeFileSync(doc, withFlagsTable(fs.readFileSync(doc, 'utf8')));
process.stdout.write(`wrote the flags table of ${doc}\n`);
