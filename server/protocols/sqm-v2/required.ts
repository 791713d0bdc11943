// Arguments the document requires (MS-SQMCS2 2.2.2.7, 2.2.2.9, 2.2.2.11, 2.2.2.14, 2.2.2.16):
// each one missing is a violation; in strict mode the affected req is answered with an error
// (except startutc/endutc, which the document's own 4.3 example omits).

import type { Finding } from '../../wire/findings';
import { REQUIRED_ARGS } from '../../codecs/sqm-v2-message/tpxs-schema';
import type { Arg, TpxsReq, TpxsRequest } from '../../codecs/sqm-v2-message/types';
import { findingFor } from './rules';

export interface Missing {
  where: string;
  arg: string;
  finding: Finding;
  /** Recorded but never a reason to refuse (the documents' own examples omit it). */
  soft?: boolean;
}

function check(args: readonly Arg[], spec: { args: readonly string[]; specRef: string; soft?: boolean }, where: string): Missing[] {
  return spec.args
    .filter((nm) => !args.some((a) => a.nm === nm))
    .map((nm) => ({
      where,
      arg: nm,
      soft: spec.soft,
      finding: findingFor('sqm-v2.missing-arg', `${where} has no required arg "${nm}"`, { specRef: spec.specRef }),
    }));
}

/** Machine-level args when `req` is null; otherwise that req's own (ctrl, cmd and the payload it needs). */
export function missingArgs(msg: TpxsRequest, req: TpxsReq | null): Missing[] {
  if (req === null) return [...check(msg.os, REQUIRED_ARGS.os, '<os>'), ...check(msg.ctrl, REQUIRED_ARGS.machCtrl, '<mach><ctrl>')];
  const at = `<req key="${req.key}">`;
  switch (req.cmd?.nm) {
    case 'dataupload':
      return [...check(req.cmd.args, REQUIRED_ARGS.dataupload, `${at} <cmd nm="dataupload">`), ...check(req.ctrl, REQUIRED_ARGS.datauploadCtrl, `${at} <ctrl>`)];
    case 'qryrsrc':
      return check(req.cmd.args, REQUIRED_ARGS.qryrsrc, `${at} <cmd nm="qryrsrc">`);
    default:
      return [];
  }
}
