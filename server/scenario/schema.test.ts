// The shipped JSON Schema (schema/scenario.schema.json): it validates every ready-made scenario
// and the examples of docs/scenarios.md, refuses what the loader refuses, and equals scenarioJsonSchema().

import Ajv2020 from 'ajv/dist/2020';
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';
import { parseScenario, scenarioJsonSchema } from '../protocols/scenario';

const ROOT = path.resolve(__dirname, '../..');
const SCHEMA_FILE = path.join(ROOT, 'schema/scenario.schema.json');
const committed = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
// `uri` and `date-time` are formats ajv only knows with ajv-formats; the loader checks URLs and dates itself (zod).
const validate = new Ajv2020({ allErrors: true, strict: true, formats: { uri: true, 'date-time': true } }).compile(committed);

/** Ajv's problems as `/rules/0/respond/fault must be equal to one of the allowed values`. */
const problems = (doc: unknown): string[] => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`));

it('schema/scenario.schema.json equals scenarioJsonSchema() (run "npm run schema" after changing the scenario schema or a module schema.ts)', () => {
  const fresh = JSON.parse(JSON.stringify(scenarioJsonSchema())) as unknown;
  if (!isDeepStrictEqual(committed, fresh)) {
    throw new Error(
      `${path.relative(ROOT, SCHEMA_FILE)} is out of date with the composed scenario schema (server/protocols/scenario.ts): run "npm run schema" and commit the result`,
    );
  }
  expect(committed.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  expect(committed.title).toBe('sqm-cer-mock scenario');
});

describe('every ready-made scenario validates against the JSON Schema', () => {
  const folder = path.join(ROOT, 'scenarios');
  const files = fs
    .readdirSync(folder)
    .filter((f) => /\.(ya?ml|json)$/i.test(f))
    .sort();
  it('there are ready-made scenarios', () => expect(files.length).toBeGreaterThanOrEqual(6));
  it.each(files)('%s', (file) => {
    const text = fs.readFileSync(path.join(folder, file), 'utf8');
    expect(problems(YAML.parse(text))).toEqual([]);
    expect(() => parseScenario(text, file)).not.toThrow();
  });
});

describe('the scenario examples of the docs validate against the schema and the loader', () => {
  const yamlBlocks = (page: string) => [...fs.readFileSync(path.join(ROOT, 'docs', page), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  // Every YAML block of docs/scenarios.md is a scenario; on the protocol pages, those that start with `rules:`.
  const blocks = [
    ...yamlBlocks('scenarios.md').map((b, i) => [`scenarios.md #${i}`, b] as const),
    ...['sqm-v2.md', 'cer.md'].flatMap((page) =>
      yamlBlocks(page)
        .filter((b) => b.startsWith('rules:'))
        .map((b, i) => [`${page} #${i}`, b] as const),
    ),
  ];
  it('the pages have YAML examples', () => expect(blocks.length).toBeGreaterThanOrEqual(4));
  it.each(blocks)('%s', (_i, text) => {
    expect(problems(YAML.parse(text))).toEqual([]);
    expect(() => parseScenario(text, 'docs/scenarios.md')).not.toThrow();
  });
});

const valid: [string, unknown][] = [
  ['empty', {}],
  [
    'every top-level key',
    {
      name: 'all',
      seed: 42,
      strictness: 'lenient',
      tokens: { lifetimeSeconds: 345600 },
      partners: { windows: { maxUploadBytes: 1000, manifest: { version: 7, expires: '2030-01-01T00:00:00Z', rules: [], propertySets: [] } }, office: null },
      cer: { firstBucket: 100, bucketTable: 10, requireAuth: 'ntlm' },
      rules: [],
    },
  ],
  [
    'every rule key',
    {
      rules: [
        {
          name: 'r',
          times: 2,
          probability: 0.5,
          when: {
            protocol: 'sqm-v2',
            partner: 'p',
            method: 'POST',
            path: '/x/*',
            command: 'c',
            namespace: { svc: 's', ptr: 'p', gp: 'g', app: 'a' },
            mid: '{0A}',
            eventType: 'APPCRASH',
            appName: 'a.exe',
          },
          respond: [
            { status: 503, body: 'b', headers: { 'Retry-After': '1' }, delayMs: 10, jitterMs: 5, fault: 'truncate' },
            { sqm: { throttleInterval: 7, manifestVersion: 3, fixedThrottle: true } },
            { v2: { throttle: { period: 7, namespace: 'ptr' }, approve: { lifetimeSeconds: 10 }, error: { retrv: 1, code: 'E', message: 'm' }, none: true } },
            { cer: { iData: 1, bucket: 600, response: 'http://x', getFile: ['a'], wql: ['SELECT 1'], spacedEquals: true } },
          ],
        },
      ],
    },
  ],
  [
    // INTERFACE.md, CER decisions: the 4.x examples' BucketTable = 5, real servers' DumpServer/ModuleInfo.
    'the CER answer form, any positive bucket numbers',
    {
      cer: { firstBucket: 1, bucketTable: 5 },
      rules: [
        {
          respond: {
            cer: {
              bucket: 5,
              bucketTable: 1,
              omit: ['Bucket', 'BucketTable', 'iData'],
              order: ['DumpServer', 'iData', 'Bucket'],
              spacedEquals: ['Bucket', 'BucketTable'],
              extra: { DumpServer: 'cer.example.com', ModuleInfo: '1', Count: 2 },
            },
          },
        },
      ],
    },
  ],
];

const invalid: [string, unknown][] = [
  ['a CER bucketTable of 0', { rules: [{ respond: { cer: { bucketTable: 0 } } }] }],
  ['a CER firstBucket of 0', { cer: { firstBucket: 0 } }],
  ['a CER omit key not named as in MS-CER2 2.2.2', { rules: [{ respond: { cer: { omit: ['bucket'] } } }] }],
  ['a CER spacedEquals that is neither a boolean nor a list', { rules: [{ respond: { cer: { spacedEquals: 'yes' } } }] }],
  ['a CER extra key holding "="', { rules: [{ respond: { cer: { extra: { 'A=B': '1' } } } }] }],
  ['an unknown top-level key', { rulez: [] }],
  ['an unknown rule key', { rules: [{ respnd: {} }] }],
  ['an unknown fault', { rules: [{ respond: { fault: 'explode' } }] }],
  ['status 1234', { rules: [{ respond: { status: 1234 } }] }],
  ['times 0', { rules: [{ times: 0 }] }],
  ['probability 2', { rules: [{ probability: 2 }] }],
  ['an empty sequence', { rules: [{ respond: [] }] }],
  ['an unknown protocol', { rules: [{ when: { protocol: 'http' } }] }],
  ['strictness loose', { strictness: 'loose' }],
  ['a negative delay', { rules: [{ respond: { delayMs: -1 } }] }],
  ['a manifest without version', { partners: { w: { manifest: { expires: 'x' } } } }],
];

describe('schema and loader agree', () => {
  it.each(valid)('both accept %s', (_name, doc) => {
    expect(problems(doc)).toEqual([]);
    expect(() => parseScenario(JSON.stringify(doc))).not.toThrow();
  });
  it.each(invalid)('both refuse %s', (_name, doc) => {
    expect(problems(doc).length).toBeGreaterThan(0);
    expect(() => parseScenario(JSON.stringify(doc))).toThrow(/^scenario: /);
  });
});

// Cross-key checks of the CER answer form: the loader's, named by path (JSON Schema cannot say them).
it.each<[string, object, RegExp]>([
  ['an order key that is neither MS-CER2 2.2.2 nor extra', { order: ['DumpServer'] }, /rules\[0\]\.respond\.cer\.order\[0\].*MS-CER2 2\.2\.2/],
  ['a key listed twice in order', { order: ['iData', 'iData'] }, /order\[1\].*once/],
  ['a spacedEquals key of neither', { spacedEquals: ['Bukket'] }, /spacedEquals\[0\]/],
  ["an extra key that is the document's own", { extra: { Bucket: '1' } }, /extra\.Bucket.*its own key/],
  ['an extra value holding a line end', { extra: { DumpServer: 'a\r\nb' } }, /extra\.DumpServer.*CR or LF/],
])('the loader refuses %s', (_name, cer, message) => {
  expect(() => parseScenario(JSON.stringify({ rules: [{ respond: { cer } }] }))).toThrow(message);
});
