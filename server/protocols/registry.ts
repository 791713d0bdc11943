// The one list of modules: every protocol, and the shared session and upstream parts. Dispatch,
// capture, reset, the scenario schema and the admin API loop over it. Adding a protocol is a folder
// with an index.ts module and one line here.

import type { ProtocolModule } from '../core/module';
import { conversationModule } from '../conversation';
import { sessionsModule } from '../sessions';
import { upstreamModule } from '../upstream/capture';
import { asqmManifestModule } from './asqm-manifest';
import { ceipModule } from './ceip';
import { cerModule } from './cer';
import { relayModule } from './relay';
import { sqmV1Module } from './sqm-v1';
import { sqmV2Module } from './sqm-v2';
import { unknownModule } from './unknown';

/** In order: routes are tried in this order (fallback routes after all others), the unknown route last. */
export const MODULES: readonly ProtocolModule[] = [
  sessionsModule,
  conversationModule,
  upstreamModule,
  sqmV1Module,
  sqmV2Module,
  asqmManifestModule,
  ceipModule,
  cerModule,
  relayModule,
  unknownModule,
];
