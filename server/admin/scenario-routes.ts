// GET and PUT /__admin/scenario: the running scenario, and replacing it (YAML or JSON as the body,
// or a multipart upload `curl -F scenario=@file.yaml`), checked by the server's scenario schema.

import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { MockContext } from '../context';
import { scenarioText, summarizeScenario } from '../scenario/describe';
import { isEmptyDocument, parseScenario, ScenarioError } from '../scenario/load';
import { sendError, sendJson } from './json';

export function scenarioRoutes(r: express.Router, ctx: MockContext): void {
  r.get('/scenario', (_req, res) => sendJson(res, 200, ctx.engine.scenario));
  // multer is loaded at the first multipart upload: serving starts without it (issue 16 item 5).
  let upload: Promise<RequestHandler> | undefined;
  const single = () =>
    (upload ??= import('multer').then(({ default: multer }) => multer({ storage: multer.memoryStorage(), limits: { fileSize: 1 << 20, files: 1 } }).single('scenario')));
  // multer's own errors (another file field, two files, over 1 MiB, a malformed form) are the
  // client's mistake: 400, not the 500 the generic handler gives errors without a status.
  const multipart = (req: Request, res: Response, next: NextFunction) =>
    void single().then((mw) => mw(req, res, (err?: unknown) => (err ? next(multipartError(err)) : next())), next);
  r.put(
    '/scenario',
    (req, res, next) => (req.is('multipart/form-data') ? multipart(req, res, next) : next()),
    express.text({ type: () => true, limit: '1mb' }),
    (req, res) => {
      const file = (req as Request & { file?: Express.Multer.File }).file;
      if (req.is('multipart/form-data') && !file) {
        return sendError(res, 400, 'BAD_REQUEST', 'multipart upload without a "scenario" file field (curl -F scenario=@file.yaml)');
      }
      const text = file ? file.buffer.toString('utf8') : typeof req.body === 'string' ? req.body : '';
      const source = file ? `PUT /__admin/scenario (${file.originalname})` : 'PUT /__admin/scenario';
      // A mistyped `curl --data-binary @file` sends nothing: never a silent switch to the happy path.
      if (isEmptyDocument(text)) throw new ScenarioError(source, [EMPTY_BODY]);
      ctx.engine.replace(parseScenario(text, source, ctx.engine.schema));
      const activity = ctx.log.activity;
      if (activity) {
        const summary = summarizeScenario(ctx.engine.scenario, source);
        activity.event('scenario', { action: 'replaced', ...summary }, scenarioText('replaced', summary));
      }
      sendJson(res, 200, ctx.engine.scenario);
    },
  );
}

/** Why an empty PUT is refused, and how to do on purpose what it would have done. */
export const EMPTY_BODY =
  'the body is empty or only comments (curl --data-binary @file sends nothing when the file is missing): the scenario is unchanged; to run the built-in happy path on purpose send an empty scenario, {} or rules: [] (POST /__admin/reset empties the store and keeps the scenario)';

function multipartError(err: unknown): Error & { status: number } {
  const e = err as { code?: string; field?: string; message?: string };
  const what = e.code === 'LIMIT_UNEXPECTED_FILE' ? `unexpected file field "${e.field ?? '?'}"` : (e.message ?? String(err)).toLowerCase();
  return Object.assign(new Error(`multipart upload: ${what} (send one file field "scenario", up to 1 MiB: curl -F scenario=@file.yaml)`), { status: 400 });
}
