#!/usr/bin/env node
// Rewrites the README's flags table (between <!-- flags:start --> and <!-- flags:end -->) from the
// option table in server/options.ts (built). Run `npm run docs:flags`; a unit test fails if they differ.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { withFlagsTable } = require('../dist/server/options.js');
const readme = path.join(__dirname, '..', 'README.md');
fs.writeFileSync(readme, withFlagsTable(fs.readFileSync(readme, 'utf8')));
process.stdout.write(`wrote the flags table of ${readme}\n`);
