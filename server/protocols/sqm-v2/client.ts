// The SQM v2 part of the typed admin client: the tokens issued.

import type { AdminCall } from '../../core/module';
import type { TokenRow } from './state';

/** Client methods of the SQM v2 module (merged into AdminClient). */
export const sqmV2Client = (api: AdminCall) => ({
  sqmTokens: async () => (await api.json<{ tokens: TokenRow[] }>('GET', '/sqm/tokens')).tokens,
});
