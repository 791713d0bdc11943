// SQM sessions as captured (shared by SQM v1 uploads and SQM v2 payloads; no route of its own):
// their tables, their rows, and /__admin/sqm/sessions. A module of the registry like the protocols.

import { sessionsClient } from './client';
import { defineModule } from '../core/module';
import { sessionsAdmin, type SessionsState } from './admin';
import { SESSION_CAPTURE, SessionQueries } from './store';

export const sessionsModule = defineModule<SessionsState>({
  name: 'sessions',
  capture: SESSION_CAPTURE,
  openState: (store) => ({ sessions: new SessionQueries(store.db), core: store.queries }),
  client: sessionsClient,
  admin: sessionsAdmin,
});

export { sessionRow, type SessionRowOptions } from './rows';
export { sessionFilter } from './admin';
export type { SessionRow, SessionFilter, SectionRow } from './store';
