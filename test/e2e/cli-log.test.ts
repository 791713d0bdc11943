// The CLI's log (issue 14 items 3 and 5): a start-up summary (scenario, store with the requests it
// holds already, fileshare) before the listening lines; one line per protocol request; a line on
// scenario change and reset; `--log-format json` makes every stdout line one JSON object; `--quiet`
// leaves only the listening lines.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AdminClient } from '../../server';
import { buildSqmSession } from '../../server/testing';
import { killAllClis, startCli, type RunningCli } from '../helpers/cli';
import { send } from '../helpers/http';
import { until } from '../helpers/raw-http';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqm-cli-log-'));
});
afterAll(() => {
  killAllClis();
  fs.rmSync(dir, { recursive: true, force: true });
});

const session = buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 6, value: 7601 }] }] });
const upload = (base: string, body: Buffer = session) => send(`${base}/sqm/windows/sqmserver.dll`, { body });
const lines = (cli: RunningCli) =>
  cli
    .stdout()
    .split('\n')
    .filter((l) => l !== '');
/** Waits for a stdout line matching `re` (request lines are written once per event-loop turn). */
const lineLike = (cli: RunningCli, re: RegExp) => until(`a stdout line like ${re}`, () => lines(cli).find((l) => re.test(l)));
const SCENARIO = 'name: busy\nrules:\n  - name: busy v1\n    when: { protocol: sqm-v1 }\n    respond: { status: 503 }\n';
const TIME = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

it('text: the summary, a line per request, scenario change and reset; a restart shows the requests kept', async () => {
  const db = path.join(dir, 'text.sqlite');
  const fileshare = path.join(dir, 'share');
  const cli = await startCli(['--port', '0', '--db', db, '--fileshare', fileshare]);
  const base = cli.urls.main;
  expect(lines(cli)).toEqual(['scenario loaded from the built-in happy path (0 rules)', `store ${db}: empty`, `fileshare ${fileshare}`, `listening main ${base}`]);
  expect((await upload(base)).status).toBe(200);
  const accepted = await lineLike(cli, / sqm-v1 /);
  expect(accepted).toMatch(new RegExp(`^${TIME} main POST /sqm/windows/sqmserver\\.dll sqm-v1 200 rule=- findings=0 \\d+\\.\\dms #1$`));

  const client = new AdminClient(base);
  await client.setScenario(SCENARIO);
  expect(await lineLike(cli, /^scenario replaced/)).toBe('scenario replaced from PUT /__admin/scenario (1 rule), name "busy"');
  expect((await upload(base, Buffer.from('not a session'))).status).toBe(503);
  expect(await lineLike(cli, / 503 /)).toMatch(new RegExp(`^${TIME} main POST /sqm/windows/sqmserver\\.dll sqm-v1 503 rule="busy v1" findings=[1-9]\\d* \\d+\\.\\dms #2$`));
  // Admin requests are not request lines.
  expect(lines(cli).filter((l) => l.includes('/__admin'))).toEqual(['scenario replaced from PUT /__admin/scenario (1 rule), name "busy"']);
  expect(await cli.stop('SIGINT')).toBe(0);
  expect(lines(cli).at(-1)).toBe('SIGINT: shutting down');

  const again = await startCli(['--port', '0', '--db', db, '--fileshare', fileshare]);
  expect(lines(again)).toContain(`store ${db}: 2 requests captured already (POST /__admin/reset clears them)`);
  await new AdminClient(again.urls.main).reset();
  expect(await lineLike(again, /^reset/)).toBe('reset: captures cleared; rule counters and the clock back to the start');
  expect(await again.stop()).toBe(0);
  expect(again.stderr()).toBe('');
});

it('json: every stdout line is one JSON object, the listening lines too', async () => {
  const scenario = path.join(dir, 'busy.yaml');
  fs.writeFileSync(scenario, SCENARIO);
  const cli = await startCli(['--port', '0', '--db', ':memory:', '--scenario', scenario, '--log-format', 'json']);
  const url = cli.urls.main;
  expect((await upload(url)).status).toBe(503);
  await lineLike(cli, /"event":"request"/);
  await new AdminClient(url).reset();
  await lineLike(cli, /"event":"reset"/);
  expect(await cli.stop()).toBe(0);
  const objects = lines(cli).map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const o of objects) expect(o.time).toMatch(new RegExp(`^${TIME}$`));
  const withoutTime = objects.map(({ time: _time, ...rest }) => rest);
  expect(withoutTime).toEqual([
    { event: 'scenario', action: 'loaded', name: 'busy', rules: 1, source: scenario },
    { event: 'store', path: ':memory:', records: 0 },
    { event: 'fileshare', path: path.resolve('./data/fileshare') },
    { event: 'listening', role: 'main', url },
    {
      event: 'request',
      listener: 'main',
      method: 'POST',
      path: '/sqm/windows/sqmserver.dll',
      protocol: 'sqm-v1',
      status: 503,
      fault: null,
      rule: 'busy v1',
      findings: 0,
      ms: expect.any(Number),
      requestId: 1,
    },
    { event: 'reset' },
    { event: 'shutdown', signal: 'SIGTERM' },
  ]);
});

it('--quiet: only the listening lines, no request lines', async () => {
  const cli = await startCli(['--port', '0', '--db', ':memory:', '--quiet']);
  expect((await upload(cli.urls.main)).status).toBe(200);
  await new AdminClient(cli.urls.main).reset();
  await new Promise((r) => setTimeout(r, 200));
  expect(await cli.stop()).toBe(0);
  expect(lines(cli)).toEqual([`listening main ${cli.urls.main}`]);
});
