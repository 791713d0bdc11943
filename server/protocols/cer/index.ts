// The CER protocol module (MS-CER2): level-1 WERREPORTs at /stage2.htm answered with stable
// buckets and instructions, level-2 cabinets PUT to the DumpFile issued; its tables and admin routes.

import { cerClient } from './client';
import { conversationOf } from '../../conversation';
import { defineModule } from '../../core/module';
import { cerAdmin } from './admin';
import { AuthConnections } from './auth-connections';
import { CerClaims, type CerModuleState } from './claims';
import { cerLevel1Route } from './level1';
import { cerLevel2Route } from './level2';
import { CerRespondSchema, CerScenarioSchema } from './schema';
import { SqliteCerState } from './state';
import { CER_CAPTURE } from './store';

/** Both routes; level 2 claims every PUT, so the registry puts it after the other protocols. */
export const cerModule = defineModule<CerModuleState>({
  name: 'cer',
  routes: [cerLevel1Route, cerLevel2Route],
  scenario: { respond: { cer: CerRespondSchema }, scenario: { cer: CerScenarioSchema } },
  capture: CER_CAPTURE,
  openState: (store) => {
    const state = new SqliteCerState(store.db);
    const claims = new CerClaims(state);
    const auth = new AuthConnections();
    store.onReset(() => {
      claims.reset();
      auth.reset();
    });
    return { store: state, claims, conversation: conversationOf(store), auth };
  },
  client: cerClient,
  admin: cerAdmin,
  conversationRules: { cer: ['cer.level2-unrequested', 'cer.level2-missing', 'cer.cab-contents', 'cer.cab-requested-missing', 'cer.auth-incomplete'] },
});

export type { CerReportRow, CerBucketRow, CerAuthRow, CerState } from './state';
export type { CerModuleState } from './claims';
