'use strict';
// The bench's baseline: a bare node:http server that reads each request body fully and answers 200
// with an empty body. Prints `listening bare <url>` like dist/server/cli.js. Usage: --port N (0: any).

const http = require('node:http');
const { parseArgs } = require('node:util');

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } } });

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    Buffer.concat(chunks); // a real handler would hold the whole body; so does the baseline
    res.writeHead(200, { 'content-length': 0 });
    res.end();
  });
});

server.listen(Number(values.port), values.host, () => {
  process.stdout.write(`listening bare http://${values.host}:${server.address().port}\n`);
});

const stop = () => server.close(() => process.exit(0)).closeAllConnections();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
