'use strict';
// The bench's second baseline: a bare node:http server that reads each request body and stores it
// with one better-sqlite3 INSERT (WAL, synchronous = OFF, as our store) before answering 200 with an
// empty body: what "store every request" costs at the least. Prints `listening bare+insert <url>`.
// Usage: --port N (0: any) --db FILE.

const http = require('node:http');
const { parseArgs } = require('node:util');
const Database = require('better-sqlite3');

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' }, db: { type: 'string' } },
});
if (!values.db) throw new Error('--db FILE is required');
const db = new Database(values.db);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = OFF');
db.exec(
  'CREATE TABLE IF NOT EXISTS requests (id INTEGER PRIMARY KEY, received_at TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, headers TEXT NOT NULL, body BLOB NOT NULL)',
);
const insert = db.prepare('INSERT INTO requests (received_at, method, path, headers, body) VALUES (?, ?, ?, ?, ?)');

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    insert.run(new Date().toISOString(), req.method, req.url, JSON.stringify(req.rawHeaders), Buffer.concat(chunks));
    res.writeHead(200, { 'content-length': 0 });
    res.end();
  });
});

server.listen(Number(values.port), values.host, () => {
  process.stdout.write(`listening bare+insert http://${values.host}:${server.address().port}\n`);
});

const stop = () => server.close(() => process.exit(0)).closeAllConnections();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
