// Conversation state (INTERFACE.md section 5): what the mock's answers set up for each client,
// shared by the protocol modules that judge clients across requests. A registry module without
// routes: its table, and the unmet expectations it adds to GET /__admin/violations.

import { defineModule } from '../core/module';
import { CONVERSATION_CAPTURE } from './rows';
import { conversationOf, type ConversationState, type Setup } from './state';

/** An unmet expectation as a /__admin/violations entry (level `expectation`). */
export function expectationEntry(s: Setup) {
  const expect = (s.data.expect ?? {}) as { specRef?: string; message?: string };
  return {
    id: null,
    requestId: s.requestId,
    sessionId: null,
    protocol: s.protocol,
    level: 'expectation' as const,
    rule: s.expectation!,
    specRef: expect.specRef ?? '',
    message: expect.message ?? '',
    offset: null,
    kind: 'expectation' as const,
    relatedRequestId: s.requestId,
    clientKey: s.clientKey,
  };
}

export const conversationModule = defineModule<ConversationState>({
  name: 'conversation',
  capture: CONVERSATION_CAPTURE,
  openState: (store) => conversationOf(store),
  admin: {
    violations: (f, state) =>
      state
        .expectations(f.clientKey)
        .filter(
          (s) =>
            (f.protocol === undefined || s.protocol === f.protocol) &&
            (f.rule === undefined || s.expectation === f.rule) &&
            (f.requestId === undefined || s.requestId === f.requestId),
        )
        .map(expectationEntry),
  },
});

export { setupRow, meetRow, seenRow, type SetupInput } from './rows';
export { conversationFinding, duration, after } from './findings';
export { SqliteConversation, MemoryConversation, conversationOf, type ConversationState, type Seen, type Setup, type SetupQuery } from './state';
