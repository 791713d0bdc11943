// Arguments the document requires (MS-SQMCS2 2.2.2.7, 2.2.2.9, 2.2.2.11, 2.2.2.14, 2.2.2.16):
// each one missing is recorded; in strict mode the affected req is answered with an error, except
// for soft ones. Args the document's own section 4 examples omit are `info`, the rest warnings.

import type { Finding } from '../../wire/findings';
import { REQUIRED_ARGS, type RequiredArgs } from '../../codecs/sqm-v2-message/tpxs-schema';
import type { Arg, TpxsReq, TpxsRequest } from '../../codecs/sqm-v2-message/types';
import { findingFor } from './rules';

export interface Missing {
  where: string;
  arg: string;
  finding: Finding;
  /** Recorded but never a reason to refuse (the documents' own examples omit it). */
  soft?: boolean;
}

function check(args: readonly Arg[], spec: RequiredArgs, where: string): Missing[] {
  const why = spec.omittedByExamples ? " (info: the document's own section 4 examples leave it out too)" : '';
  return spec.args
    .filter((nm) => !args.some((a) => a.nm === nm))
    .map((nm) => ({
      where,
      arg: nm,
      soft: spec.soft,
      finding: findingFor('sqm-v2.missing-arg', `${where} has no required arg "${nm}"${why}`, {
        specRef: spec.specRef,
        level: spec.omittedByExamples ? 'info' : undefined,
      }),
    }));
}

/** Machine-level args when `req` is null; otherwise that req's own (ctrl, cmd and the payload it needs). */
export function missingArgs(msg: TpxsRequest, req: TpxsReq | null): Missing[] {
  if (req === null) {
    const { os, osMore, osOmitted, machCtrl, machCtrlOmitted } = REQUIRED_ARGS;
    return [...[os, osMore, osOmitted].flatMap((spec) => check(msg.os, spec, '<os>')), ...[machCtrl, machCtrlOmitted].flatMap((spec) => check(msg.ctrl, spec, '<mach><ctrl>'))];
  }
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
