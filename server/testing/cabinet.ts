// The cabinet builder of the public test toolkit (sqm-cer-mock/testing): the writer in server/cab,
// which the relay also uses to recompress a v2 payload.

export { buildCabinet, type BuildCabinetOptions, type CabinetFile } from '../cab/write';
