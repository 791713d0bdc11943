#!/usr/bin/env node
// Writes schema/scenario.schema.json from the composed zod schema (server/protocols/scenario.ts, built).
// Run `npm run schema` after changing the scenario format; a unit test fails if they differ.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { scenarioJsonSchema } = require('../dist/server/protocols/scenario.js');
const out = path.join(__dirname, '..', 'schema', 'scenario.schema.json');
fs.writeFileSync(out, JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');
process.stdout.write(`wrote ${out}\n`);
