// The SQM v2 protocol module (MS-SQMCS2, MS-TPXS): requpload → approved / throttle / error,
// dataupload → receipt, qryrsrc → rsrc / none; its tokens in its own tables.

import { sqmV2Client } from './client';
import { defineModule } from '../../core/module';
import { sqmV2Admin } from './admin';
import { sqmV2Route } from './route';
import { TokensSchema, V2RespondSchema } from './schema';
import { conversationOf } from '../../conversation';
import { SqliteTokenState, type V2State } from './state';
import { TOKEN_CAPTURE } from './store';

export const sqmV2Module = defineModule<V2State>({
  name: 'sqm-v2',
  routes: [sqmV2Route],
  scenario: { respond: { v2: V2RespondSchema }, scenario: { tokens: TokensSchema } },
  capture: TOKEN_CAPTURE,
  openState: (store) => ({ tokens: new SqliteTokenState(store), conversation: conversationOf(store) }),
  conversationRules: {
    'sqm-v2': [
      'sqm-v2.throttle-ignored',
      'sqm-v2.retry-refused',
      'sqm-v2.retry-early',
      'sqm-v2.token-expired',
      'sqm-v2.token-scope',
      'sqm-v2.no-requpload',
      'sqm-v2.token-reused',
      'sqm-v2.manifest-not-fetched',
    ],
  },
  client: sqmV2Client,
  admin: sqmV2Admin,
});

export type { TokenRow, TokenState, V2State } from './state';
