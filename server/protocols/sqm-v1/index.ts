// The SQM v1 protocol module (MS-SQMCS): binary sessions POSTed to /sqm/<partner>/sqmserver.dll,
// answered 200 / 201 / 403 / 400. Its sessions go to the shared session tables (server/sessions/).

import { conversationOf, type ConversationState } from '../../conversation';
import { defineModule } from '../../core/module';
import { sqmV1Route } from './route';
import { SqmV1RespondSchema } from './schema';

export const sqmV1Module = defineModule<ConversationState>({
  name: 'sqm-v1',
  routes: [sqmV1Route],
  openState: (store) => conversationOf(store),
  conversationRules: { 'sqm-v1': ['sqm-v1.throttle-ignored', 'sqm-v1.fixed-throttle-ignored', 'sqm-v1.resent', 'sqm-v1.manifest-not-fetched'] },
  scenario: { respond: { sqm: SqmV1RespondSchema } },
});
