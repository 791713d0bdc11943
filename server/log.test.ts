import { createLogger, requestJson, requestText, type RequestLogEntry } from './log';

const entry: RequestLogEntry = {
  listener: 'cer',
  method: 'PUT',
  path: '/PersistedCabs/a.cab',
  protocol: 'cer',
  status: -1,
  fault: 'reset',
  rule: 'cut it',
  findings: 2,
  ms: 12.345,
  requestId: 7,
};
const T = '2026-12-02T03:00:00.000Z';

describe('request lines', () => {
  it.each<[string, Partial<RequestLogEntry>, string]>([
    ['a default answer', { fault: null, rule: null, status: 200 }, `${T} cer PUT /PersistedCabs/a.cab cer 200 rule=- findings=2 12.3ms #7`],
    ['a rule with a space and a fault', {}, `${T} cer PUT /PersistedCabs/a.cab cer -1 fault=reset rule="cut it" findings=2 12.3ms #7`],
    ['a path with a space or a quote is JSON-quoted', { path: '/a b"c', fault: null, rule: 'r' }, `${T} cer PUT "/a b\\"c" cer -1 rule=r findings=2 12.3ms #7`],
  ])('text: %s', (_name, change, line) => {
    expect(requestText(T, { ...entry, ...change })).toBe(line);
  });

  it('json: one object, ms to a tenth', () => {
    expect(JSON.parse(requestJson(T, entry))).toEqual({ time: T, event: 'request', ...entry, ms: 12.3 });
  });
});

describe('createLogger', () => {
  let written: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    written = [];
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => spy.mockRestore());

  it('has no activity log unless asked, and none at all when quiet', () => {
    expect(createLogger().activity).toBeNull();
    expect(createLogger({ quiet: true, activity: true }).activity).toBeNull();
  });

  it('batches request lines into one write per turn, and keeps them before a line written at once', async () => {
    const log = createLogger({ activity: true });
    log.activity!.request(entry);
    log.activity!.request({ ...entry, requestId: 8 });
    expect(written).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(written).toHaveLength(1);
    expect(written[0].split('\n')).toHaveLength(3);
    log.activity!.request({ ...entry, requestId: 9 });
    log.event('reset', {}, 'reset: done');
    expect(written.slice(1)).toEqual([expect.stringMatching(/ #9\n$/), 'reset: done\n']);
  });

  it('json: events and messages are objects with time and event', () => {
    const log = createLogger({ format: 'json' });
    log.event('store', { path: ':memory:', records: 0 }, 'unused');
    log.info('hello');
    const [store, info] = written.map((w) => JSON.parse(w) as Record<string, unknown>);
    expect(store).toEqual({ time: expect.any(String), event: 'store', path: ':memory:', records: 0 });
    expect(info).toEqual({ time: expect.any(String), event: 'message', level: 'info', message: 'hello' });
  });
});
