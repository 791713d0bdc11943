// GET /__admin/ui: the web page of the captured traffic (docs/ui.md). Serves the page, its style
// and its compiled client modules; everything ships in the package, nothing is fetched elsewhere.
// The files hold no data: every datum comes from the admin API, behind --admin-token.

import fs from 'node:fs';
import path from 'node:path';
import express, { type Response } from 'express';
import { PAGE_HTML } from './page';
import { PAGE_CSS } from './style';

/**
 * Where tsc puts the client modules (server/admin/ui/client/tsconfig.json): beside this file in
 * dist/, or, when this file runs from source (ts-jest), in the built dist/ of the checkout.
 */
const CLIENT_DIR =
  [path.join(__dirname, 'client'), path.resolve(__dirname, '../../../dist/server/admin/ui/client')].find((d) => fs.existsSync(path.join(d, 'main.js'))) ??
  path.join(__dirname, 'client');
const MODULE = /^[a-z][a-z0-9-]*\.js$/;

/** Every answer of the page: no framing by other sites, no script or fetch from anywhere but here. */
const HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const send = (res: Response, type: string, body: string | Buffer) =>
  void res
    .status(200)
    .set({ ...HEADERS, 'content-type': type })
    .send(body);

export function uiRouter(): express.Router {
  const r = express.Router();
  // `/__admin/ui` without the slash: relative module URLs need the trailing one.
  r.get('/', (req, res) => (req.originalUrl.split('?')[0].endsWith('/') ? send(res, 'text/html; charset=utf-8', PAGE_HTML) : res.redirect(301, `${req.baseUrl}/`)));
  r.get('/app.css', (_req, res) => send(res, 'text/css; charset=utf-8', PAGE_CSS));
  r.get('/:file', (req, res, next) => {
    const file = req.params.file;
    if (!MODULE.test(file)) return next();
    fs.readFile(path.join(CLIENT_DIR, file), (err, data) => (err ? next() : send(res, 'text/javascript; charset=utf-8', data)));
  });
  return r;
}
