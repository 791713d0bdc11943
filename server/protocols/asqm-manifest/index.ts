// The A-SQM manifest (MS-SQMCS 2.2.6) in one import: codec, authoring (YAML ↔ package), the scenario
// schema and the bytes to serve for a partner's manifest URL.

export * from './types';
export { ASQM_RULES, type AsqmFindingRule } from './rules';
export { decodeManifestPackage, encodeManifestPackage, encodeManifest, encodeSection, type EncodeOptions } from './codec';
export { AsqmManifestSchema, type AsqmManifestSpec, type AsqmRuleSpec, type AsqmClauseSpec, type AsqmPropertySetSpec } from './schema';
export { ManifestError, validateManifestSpec } from './validate';
export { manifestFromYaml, manifestFromSpec, manifestBytesFor, type FromYamlOptions } from './authoring';
export { manifestToYaml } from './to-yaml';
export { filetimeFromIso, filetimeToIsoExact } from './dates';
