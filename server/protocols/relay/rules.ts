// The SQM relay's finding rules (MS-SQMCS 3.3.5): what it did with each message, augmented or
// forwarded byte for byte. One table; route.ts emits them (augment*.ts only transform bytes).

import { inDocument, ruleEmitter, type FindingRuleSpec } from '../../wire/rule-table';

const r = inDocument('MS-SQMCS');

/** Every rule the relay reports (all `info`: a record of what was done, not a violation). */
export const RELAY_RULES = {
  'relay.augmented': r('info', '3.3.5'),
  'relay.passthrough': r('info', '3.3.5'),
  /** A body over what the relay buffers: streamed on byte for byte, so without the relay's data point. */
  'relay.not-augmented': r('info', '3.3.5'),
  /** A request for the admin API (`/__admin/…`) on the relay listener: answered 404, never forwarded. */
  'relay.admin-path': r('warning', '3.3.5'),
} as const satisfies Record<string, FindingRuleSpec>;

export type RelayRule = keyof typeof RELAY_RULES;

/**
 * The finding as a value (the handler adds `protocol`).
 *
 * @example
 * findingFor('relay.passthrough', 'not an SQM payload: forwarded byte for byte')
 */
export const findingFor = ruleEmitter<RelayRule>(RELAY_RULES).findingFor;
