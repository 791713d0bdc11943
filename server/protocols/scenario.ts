// The scenario format of a set of modules: the core keys (scenario/schema.ts) plus each module's
// parts, composed once; and the loaders bound to it. The default set is the registry's.

import type { z } from 'zod';
import type { ProtocolModule } from '../core/module';
import { loadScenarioFile as loadFile, parseScenario as parse, validateScenario as validate } from '../scenario/load';
import type { ProtocolFacts } from '../scenario/rule-checks';
import { composeScenarioSchema, toScenarioJsonSchema, type PartnerSpec, type RespondCore, type RuleSpec, type ScenarioCore } from '../scenario/schema';
import type { AsqmManifestSpec } from './asqm-manifest/schema';
import type { CeipScenario } from './ceip/schema';
import type { CerRespond, CerScenario } from './cer/schema';
import { MODULES } from './registry';
import type { SqmV1Respond } from './sqm-v1/schema';
import type { TokensSpec, V2Respond } from './sqm-v2/schema';

type Shape = Record<string, z.ZodType>;

const composed = new WeakMap<readonly ProtocolModule[], z.ZodType<ScenarioCore>>();

/** The composed schema for these modules (built once per list); two modules claiming one key is a programming error. */
export function scenarioSchemaFor(modules: readonly ProtocolModule[]): z.ZodType<ScenarioCore> {
  let schema = composed.get(modules);
  if (!schema) composed.set(modules, (schema = compose(modules)));
  return schema;
}

function compose(modules: readonly ProtocolModule[]): z.ZodType<ScenarioCore> {
  const parts = { respond: {} as Shape, scenario: {} as Shape, partner: {} as Shape };
  for (const m of modules) {
    for (const kind of ['respond', 'scenario', 'partner'] as const) {
      for (const [key, schema] of Object.entries(m.scenario?.[kind] ?? {})) {
        if (key in parts[kind]) throw new Error(`scenario ${kind} key "${key}" of module ${m.name} is already taken`);
        parts[kind][key] = schema;
      }
    }
  }
  const routes = modules.flatMap((m) => (m.routes ?? []).filter((r) => r.name !== 'unknown'));
  const names = [...new Set(routes.map((r) => r.name))];
  return composeScenarioSchema({ protocols: names as [string, ...string[]], ...parts, facts: protocolFacts(modules) });
}

/** Each protocol's match keys (its routes' matchKeys) and, per `respond` part, the protocols of the module that reads it. */
function protocolFacts(modules: readonly ProtocolModule[]): ProtocolFacts {
  const matchKeys: Record<string, string[]> = {};
  const respondOwners: Record<string, string[]> = {};
  for (const m of modules) {
    const own = (m.routes ?? []).filter((r) => r.name !== 'unknown');
    for (const r of own) matchKeys[r.name] = [...new Set([...(matchKeys[r.name] ?? []), ...(r.matchKeys ?? [])])];
    for (const key of Object.keys(m.scenario?.respond ?? {})) respondOwners[key] = own.map((r) => r.name);
  }
  return { matchKeys, respondOwners };
}

export const ScenarioSchema = scenarioSchemaFor(MODULES);

/** A rule's answer with the registry modules' parts typed (the schema above is what checks them). */
export type ScenarioRespond = RespondCore & { sqm?: SqmV1Respond; v2?: V2Respond; cer?: CerRespond };

/** A scenario document (YAML or JSON, INTERFACE.md section 3) with the registry modules' parts typed. */
export type Scenario = Omit<ScenarioCore, 'rules' | 'partners'> & {
  rules?: (Omit<RuleSpec, 'respond'> & { respond?: ScenarioRespond | ScenarioRespond[] })[];
  partners?: Record<string, (PartnerSpec & { manifest?: AsqmManifestSpec }) | null>;
  tokens?: TokensSpec;
  cer?: CerScenario;
  ceip?: CeipScenario;
};

export const parseScenario = (text: string, source = 'scenario'): Scenario => parse(text, source, ScenarioSchema);
export const loadScenarioFile = (file: string): Scenario => loadFile(file, ScenarioSchema);
export const validateScenario = (value: unknown, source = 'scenario', lineOf?: (path: PropertyKey[], key?: string) => number | undefined): Scenario =>
  validate(value, source, ScenarioSchema, lineOf);
/** The JSON Schema shipped as schema/scenario.schema.json. */
export const scenarioJsonSchema = (): Record<string, unknown> => toScenarioJsonSchema(ScenarioSchema);
