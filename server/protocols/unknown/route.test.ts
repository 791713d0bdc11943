// The fallback handler on plain requests: a 404 naming the method and path (without the query),
// captured as protocol `unknown`, with no rule, rows or findings.

import { handlerContext, removeTempDirs, text, wireRequest } from '../../../test/helpers/handler-context';
import { unknownRoute } from './route';

afterAll(removeTempDirs);

describe('unknown', () => {
  it.each([
    ['GET', '/nothing/here', '/nothing/here'],
    ['POST', '/stage3.htm?x=1&y=2', '/stage3.htm'],
    ['DELETE', '/', '/'],
    ['OPTIONS', '/sqm/%7Bpartner%7D/x', '/sqm/%7Bpartner%7D/x'],
  ])('%s %s → 404 naming the method and the path', async (method, url, pathname) => {
    const o = await unknownRoute.handle(wireRequest({ method, url, body: 'ignored' }), handlerContext({ rules: [{ name: 'any', respond: { status: 503 } }] }), undefined);
    expect(o.protocol).toBe('unknown');
    expect(o.answer).toMatchObject({ status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(o.answer.reason).toMatch(new RegExp(`^no route for ${method} ${pathname.replace(/[?.]/g, '\\$&')}: `));
    expect(text(o)).toBe(`${o.answer.reason}\n`);
    expect([o.ruleName ?? null, o.rows ?? [], o.findings ?? []]).toEqual([null, [], []]);
  });

  it('is the fallback of the main and cer listeners, claiming anything', () => {
    expect([unknownRoute.fallback, unknownRoute.listeners]).toEqual([true, ['main', 'cer']]);
    expect(unknownRoute.claims(wireRequest({ method: 'PATCH', url: '/x' }))).toBe(true);
  });
});
