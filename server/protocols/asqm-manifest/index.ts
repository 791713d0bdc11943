// The A-SQM manifest module (MS-SQMCS 2.2.6, 3.2.5.6): hosts each partner's manifest (the scenario's
// `partners.<name>.manifest`); and in one import its codec, authoring (YAML ↔ package) and schema.

import { conversationOf, type ConversationState } from '../../conversation';
import { defineModule } from '../../core/module';
import { manifestRoute } from './route';
import { AsqmManifestSchema } from './schema';

export const asqmManifestModule = defineModule<ConversationState>({
  name: 'asqm-manifest',
  routes: [manifestRoute],
  openState: (store) => conversationOf(store),
  scenario: { partner: { manifest: AsqmManifestSchema } },
});

export * from './types';
export { ASQM_RULES, type AsqmFindingRule } from './rules';
export { decodeManifestPackage, encodeManifestPackage, encodeManifest, encodeSection, type EncodeOptions } from './codec';
export { AsqmManifestSchema, type AsqmManifestSpec, type AsqmRuleSpec, type AsqmClauseSpec, type AsqmPropertySetSpec } from './schema';
export { ManifestError, validateManifestSpec } from './validate';
export { manifestFromYaml, manifestFromSpec, manifestBytesFor, type FromYamlOptions } from './authoring';
export { manifestToYaml } from './to-yaml';
export { filetimeFromIso, filetimeToIsoExact } from './dates';
