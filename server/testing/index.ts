// Public builders of the package (`sqm-cer-mock/testing`, INTERFACE.md section 6): valid or
// deliberately broken SQM v1 sessions, SQM v2 messages, WERREPORT bodies and cabinets.

export { buildSqmSession, buildSqmUpload, buildSections, DEFAULT_HEADER, type BuildOptions, type BuildSection, type BuildStreamEntry } from './sqm-session';
export {
  buildSqmV2Message,
  buildV2Message,
  buildV2Xml,
  responseCommands,
  DEFAULT_OS,
  DEFAULT_CTRL,
  type SqmV2MessageOptions,
  type BuildReq,
  type BuildV2,
  type Arg,
} from './sqm-v2-message';
export { buildWerReport, buildWerXml, encodeWerText, DEFAULT_WER_PARTS, type WerParts, type WerTextEncoding, type BuildWerOptions } from './wer-report';
export { buildCabinet, type CabinetFile, type BuildCabinetOptions } from './cabinet';
