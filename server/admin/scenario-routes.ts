// GET and PUT /__admin/scenario: the running scenario, and replacing it (YAML or JSON as the body,
// or a multipart upload `curl -F scenario=@file.yaml`), checked by the server's scenario schema.

import express, { type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import type { MockContext } from '../context';
import { scenarioText, summarizeScenario } from '../scenario/describe';
import { parseScenario } from '../scenario/load';
import { sendError, sendJson } from './json';

export function scenarioRoutes(r: express.Router, ctx: MockContext): void {
  r.get('/scenario', (_req, res) => sendJson(res, 200, ctx.engine.scenario));
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 1 << 20, files: 1 } });
  // multer's own errors (another file field, two files, over 1 MiB, a malformed form) are the
  // client's mistake: 400, not the 500 the generic handler gives errors without a status.
  const multipart = (req: Request, res: Response, next: NextFunction) => upload.single('scenario')(req, res, (err?: unknown) => (err ? next(multipartError(err)) : next()));
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

function multipartError(err: unknown): Error & { status: number } {
  const e = err as { code?: string; field?: string; message?: string };
  const what = e.code === 'LIMIT_UNEXPECTED_FILE' ? `unexpected file field "${e.field ?? '?'}"` : (e.message ?? String(err)).toLowerCase();
  return Object.assign(new Error(`multipart upload: ${what} (send one file field "scenario", up to 1 MiB: curl -F scenario=@file.yaml)`), { status: 400 });
}
