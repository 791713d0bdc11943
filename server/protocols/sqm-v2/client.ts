// The SQM v2 part of the typed admin client: the tokens issued.

import type { AdminCall } from '../../core/module';
import type { TokenRow } from './state';

/** Client methods of the SQM v2 module (merged into AdminClient). */
export const sqmV2Client = (api: AdminCall) => ({
  /**
   * The SQM v2 tokens issued, with their namespace, expiry and the requests that used them.
   * @example const [t] = await mock.client.sqmTokens(); expect(t.usedBy).toEqual([2]);
   */
  sqmTokens: async () => (await api.json<{ tokens: TokenRow[] }>('GET', '/sqm/tokens')).tokens,
});
