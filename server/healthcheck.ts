#!/usr/bin/env node
// The container's health check (the Dockerfile's HEALTHCHECK): GET /__health on the main listener
// that the SQM_MOCK_* variables configure (port, host, TLS); exit 0 on 200, else 1 with one line
// saying why. /__health needs no token, so it works with SQM_MOCK_ADMIN_TOKEN set. docs/docker.md.

import http from 'node:http';
import https from 'node:https';

const TIMEOUT_MS = 2000;

/** The URL the check asks: the wildcard bind addresses are asked on loopback. */
export function healthUrl(env: NodeJS.ProcessEnv): string {
  const host = env.SQM_MOCK_HOST || '127.0.0.1';
  const ask = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  return `${env.SQM_MOCK_TLS_CERT ? 'https' : 'http'}://${ask}:${env.SQM_MOCK_PORT || '8080'}/__health`;
}

/** Null when healthy, else why not. The certificate is not verified: this is the container asking itself. */
export function checkHealth(url: string): Promise<string | null> {
  const get = url.startsWith('https:') ? https.get : http.get;
  return new Promise((resolve) => {
    const req = get(url, { rejectUnauthorized: false, timeout: TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve(res.statusCode === 200 ? null : `${res.statusCode} ${body.trim()}`));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
    req.on('error', (e) => resolve(e.message));
  });
}

if (require.main === module) {
  const url = healthUrl(process.env);
  void checkHealth(url).then((problem) => {
    if (problem !== null) process.stderr.write(`unhealthy: ${url}: ${problem}\n`);
    process.exitCode = problem === null ? 0 : 1;
  });
}
