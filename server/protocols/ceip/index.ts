// The CEIP corporate redirect module (MS-CCEIP): POST /?partner=<service url>, captured and
// forwarded upstream (the forwards table belongs to server/upstream/).

import { defineModule } from '../../core/module';
import { ceipRoute } from './route';
import { CeipScenarioSchema } from './schema';
import { SqliteCeipState, type CeipState } from './state';

export const ceipModule = defineModule<CeipState>({
  name: 'ceip',
  routes: [ceipRoute],
  scenario: { scenario: { ceip: CeipScenarioSchema } },
  openState: (store) => new SqliteCeipState(store.db),
  conversationRules: { ceip: ['ceip.resent'] },
});
