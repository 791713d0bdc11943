// The SQM v2 protocol module (MS-SQMCS2, MS-TPXS): requpload → approved / throttle / error,
// dataupload → receipt, qryrsrc → rsrc / none; its tokens in its own tables.

import { sqmV2Client } from './client';
import { defineModule } from '../../core/module';
import { sqmV2Admin } from './admin';
import { sqmV2Route } from './route';
import { TokensSchema, V2RespondSchema } from './schema';
import { SqliteTokenState, type TokenState } from './state';
import { TOKEN_CAPTURE } from './store';

export const sqmV2Module = defineModule<TokenState>({
  name: 'sqm-v2',
  routes: [sqmV2Route],
  scenario: { respond: { v2: V2RespondSchema }, scenario: { tokens: TokensSchema } },
  capture: TOKEN_CAPTURE,
  openState: (store) => new SqliteTokenState(store.db),
  client: sqmV2Client,
  admin: sqmV2Admin,
});

export type { TokenRow, TokenState } from './state';
