// GET /__admin/openapi.json: an OpenAPI 3.1 description of the admin API (INTERFACE.md sections 4
// and 5), so teams in other languages can generate a client. The scenario schema is the one the
// server validates with; the response schemas are checked against real answers by a test.

import { scenarioJsonSchema } from '../protocols/scenario';
import { REQUEST_PARAMS, VIOLATION_PARAMS } from './filters';
import { SESSION_PARAMS } from '../sessions/admin';
import { CER_REPORT_PARAMS } from '../protocols/cer/admin';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string): Schema => ({ type: [type, 'null'] });
const int: Schema = { type: 'integer' };
const str: Schema = { type: 'string' };
const array = (items: Schema): Schema => ({ type: 'array', items });
/** An object with every listed property required; more properties allowed (modules add fields). */
const object = (properties: Record<string, Schema>, optional: Record<string, Schema> = {}): Schema => ({
  type: 'object',
  required: Object.keys(properties),
  properties: { ...properties, ...optional },
});

/** What each filter parameter is (everything else is a string). */
const PARAM_SCHEMAS: Record<string, Schema> = {
  status: int,
  limit: { type: 'integer', minimum: 1, maximum: 10000 },
  requestId: { type: 'integer', minimum: 1 },
  bucket: { type: 'integer', minimum: 0 },
  since: {
    oneOf: [
      { type: 'integer', minimum: 0 },
      { type: 'string', format: 'date-time' },
    ],
  },
  count: { type: 'integer', minimum: 1 },
  timeoutMs: { type: 'integer', minimum: 0, maximum: 600000 },
  kind: str,
};
const params = (names: readonly string[]) => names.map((name) => ({ name, in: 'query', required: false, schema: PARAM_SCHEMAS[name] ?? str }));
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };

const json = (schema: Schema, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const bytes = (type: string) => ({ description: 'the bytes, as a download', content: { [type]: { schema: { type: 'string', contentMediaType: type } } } });
const ERRORS = { '400': json(ref('Error'), 'a bad query parameter or body'), '401': json(ref('Error'), 'no or a wrong admin token (--admin-token)') };
const get = (summary: string, ok: unknown, extra: Schema = {}) => ({ get: { summary, responses: { '200': ok, ...ERRORS }, ...extra } });
const notFound = { '404': json(ref('Error'), 'no such record') };

const SCHEMAS: Record<string, Schema> = {
  Error: object({ error: object({ code: str, message: str }) }),
  Health: object({ status: { enum: ['ok', 'degraded'] } }, { reason: str, since: str }),
  Request: object({
    id: int,
    receivedAt: { type: 'string', format: 'date-time' },
    listener: str,
    protocol: str,
    method: str,
    path: str,
    status: int,
    bodySize: int,
    bodySha256: str,
    bodyTruncated: { type: 'boolean' },
    ruleName: nullable('string'),
    partner: nullable('string'),
    reason: nullable('string'),
    durationMs: { type: 'number' },
    fault: nullable('string'),
    delayMs: int,
    clientKey: nullable('string'),
    httpVersion: nullable('string'),
  }),
  RequestDetail: {
    allOf: [
      ref('Request'),
      object({ headers: array({ type: 'array', items: str, minItems: 2, maxItems: 2 }), responseHeaders: { type: 'object' }, responseBody: nullable('string') }),
    ],
  },
  Session: object({
    id: int,
    requestId: int,
    protocolVersion: { enum: [1, 2] },
    partner: nullable('string'),
    header: object({ clientUniqueIdentifier: str }),
    sections: array({ type: 'object' }),
  }),
  Token: object({ token: { type: 'string', pattern: '^3\\.[0-9a-f]{32}\\.[0-9a-f]{16}$' }, namespace: {}, issuedAt: str, expiresAt: str, usedBy: array(int) }),
  CerReport: object({
    id: int,
    requestId: int,
    eventType: nullable('string'),
    reportType: {},
    bucket: nullable('integer'),
    bucketTable: nullable('integer'),
    signature: object({ parameters: array(object({ id: int, value: str })), secondaryParameters: array(object({ name: str, value: str })) }),
    files: array({ type: 'object' }),
    dumpFile: nullable('string'),
    level2: { oneOf: [{ type: 'null' }, object({ requestId: int, size: int, sha256: str, files: array(object({ name: str, size: int })) })] },
  }),
  CerBucket: object({ bucket: int, bucketTable: int, eventType: str, signatureKey: str, hits: int }),
  CerAuth: object({ requestId: int, scheme: str, user: str, domain: str, workstation: nullable('string'), verified: nullable('boolean') }),
  Violation: object({
    id: nullable('integer'),
    requestId: int,
    protocol: str,
    level: { enum: ['error', 'warning', 'info', 'expectation'] },
    rule: str,
    specRef: str,
    message: str,
    kind: { enum: ['request', 'conversation', 'expectation'] },
    relatedRequestId: nullable('integer'),
    clientKey: nullable('string'),
  }),
  Conformance: object({
    clients: array(object({ clientKey: str, protocol: str, requests: int, violations: array(ref('Violation')), expectations: array(ref('Violation')) })),
    summary: object({ checked: int, violations: int, requestFindings: int, unmetExpectations: int }),
  }),
  Wait: object({ kind: str, count: int, records: array({ type: 'object' }) }),
  Clock: object({ now: { type: 'string', format: 'date-time' }, offsetSeconds: { type: 'number' } }),
  Har: object({
    log: object({
      version: { const: '1.2' },
      creator: object({ name: str, version: str }),
      entries: array(
        object({
          startedDateTime: str,
          time: { type: 'number' },
          request: object(
            {
              method: str,
              url: str,
              httpVersion: str,
              cookies: array({}),
              headers: array(object({ name: str, value: str })),
              queryString: array(object({ name: str, value: str })),
              headersSize: int,
              bodySize: int,
            },
            { postData: object({ mimeType: str, text: str }) },
          ),
          response: object({
            status: int,
            statusText: str,
            httpVersion: str,
            cookies: array({}),
            headers: array(object({ name: str, value: str })),
            content: object({ size: int, mimeType: str, text: str, encoding: { const: 'base64' } }),
            redirectURL: str,
            headersSize: int,
            bodySize: int,
          }),
          cache: { type: 'object' },
          timings: object({ send: { type: 'number' }, wait: { type: 'number' }, receive: { type: 'number' } }),
        }),
      ),
    }),
  }),
};

function scenarioSchema(): Schema {
  const { $schema: _dialect, ...rest } = scenarioJsonSchema();
  return rest;
}

/** The document, built once per server (the scenario schema is the registry's). */
export function openApiDocument(version: string): Schema {
  const list = (key: string, item: string) => json(object({ [key]: array(ref(item)) }));
  const scenarioBody = {
    required: true,
    content: {
      'application/yaml': { schema: str },
      'application/json': { schema: ref('Scenario') },
      'multipart/form-data': { schema: object({ scenario: { type: 'string', contentMediaType: 'application/yaml' } }) },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'sqm-cer-mock admin API',
      version,
      description: 'The admin API of the SQM/CER telemetry mock: captures, findings, waits, scenario and clock. Under /__admin on the main listener.',
    },
    servers: [{ url: '/__admin' }],
    security: [{}, { bearer: [] }],
    paths: {
      '/health': get('Readiness: 503 while captures cannot be committed', json(ref('Health'))),
      '/requests': get(
        'Captured requests, oldest first (a page; X-Next-Cursor names the next); format=har: HAR 1.2',
        {
          description: 'OK',
          content: { 'application/json': { schema: { oneOf: [object({ requests: array(ref('Request')) }), ref('Har')] } } },
        },
        { parameters: [...params(REQUEST_PARAMS), { name: 'format', in: 'query', required: false, schema: { enum: ['har'] } }] },
      ),
      '/requests/{id}': {
        get: { summary: 'One request with its headers and answer', parameters: [idParam], responses: { '200': json(ref('RequestDetail')), ...notFound, ...ERRORS } },
      },
      '/requests/{id}/body': {
        get: { summary: 'The request body, byte for byte', parameters: [idParam], responses: { '200': bytes('application/octet-stream'), ...notFound, ...ERRORS } },
      },
      '/requests/{id}/forward/{leg}': {
        get: {
          summary: 'A forwarded request leg (CEIP, relay): sent or received',
          parameters: [idParam, { name: 'leg', in: 'path', required: true, schema: { enum: ['sent', 'received'] } }],
          responses: { '200': bytes('application/octet-stream'), ...notFound, ...ERRORS },
        },
      },
      '/sqm/sessions': get('SQM sessions (v1, and v2 payload slices)', list('sessions', 'Session'), { parameters: params(SESSION_PARAMS) }),
      '/sqm/sessions/{id}': { get: { summary: 'One session whole', parameters: [idParam], responses: { '200': json(ref('Session')), ...notFound, ...ERRORS } } },
      '/sqm/tokens': get('SQM v2 tokens issued', list('tokens', 'Token')),
      '/cer/reports': get('CER level-1 reports with their level-2 cabinets', list('reports', 'CerReport'), { parameters: params(CER_REPORT_PARAMS) }),
      '/cer/reports/{id}/cab': {
        get: { summary: "A report's level-2 cabinet", parameters: [idParam], responses: { '200': bytes('application/vnd.ms-cab-compressed'), ...notFound, ...ERRORS } },
      },
      '/cer/buckets': get('CER buckets and their hits', list('buckets', 'CerBucket')),
      '/cer/auth': get('Who CER requests authenticated as', list('auth', 'CerAuth'), { parameters: params(['requestId']) }),
      '/violations': get('Findings (error, warning; level=all adds info) and unmet expectations', list('violations', 'Violation'), { parameters: params(VIOLATION_PARAMS) }),
      '/conformance': get(
        'The conformance report; format=junit: JUnit XML',
        { description: 'OK', content: { 'application/json': { schema: ref('Conformance') }, 'application/xml': { schema: str } } },
        {
          parameters: [{ name: 'format', in: 'query', required: false, schema: { enum: ['junit'] } }],
        },
      ),
      '/wait': {
        get: {
          summary: 'Answers once `count` records of `kind` match (with the filters of that kind), with them',
          parameters: [{ name: 'kind', in: 'query', required: true, schema: str }, ...params(['count', 'timeoutMs'])],
          responses: { '200': json(ref('Wait')), '408': json(ref('Error'), 'fewer records than count after timeoutMs'), ...ERRORS },
        },
      },
      '/metrics': get('Prometheus metrics (text format 0.0.4)', { description: 'OK', content: { 'text/plain': { schema: str } } }),
      '/openapi.json': get('This document', json({ type: 'object' })),
      '/reset': {
        post: { summary: 'Empties the store; restarts the counters, conversation state and clock', responses: { '200': json(object({ status: { const: 'ok' } })), ...ERRORS } },
      },
      '/scenario': {
        get: { summary: 'The running scenario', responses: { '200': json(ref('Scenario')), ...ERRORS } },
        put: {
          summary: 'Replaces the running scenario (an empty body is refused: send {} for the happy path)',
          requestBody: scenarioBody,
          responses: { '200': json(ref('Scenario')), ...ERRORS },
        },
      },
      '/clock': {
        get: { summary: "The mock's clock", responses: { '200': json(ref('Clock')), ...ERRORS } },
        post: {
          summary: 'Moves or sets the clock',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { oneOf: [object({ advanceSeconds: { type: 'number' } }), object({ set: { type: 'string', format: 'date-time' } })] } } },
          },
          responses: { '200': json(ref('Clock')), ...ERRORS },
        },
      },
    },
    components: {
      schemas: { ...SCHEMAS, Scenario: scenarioSchema() },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'when the mock runs with --admin-token' } },
    },
  };
}
