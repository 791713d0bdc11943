// Public API of the cabinet reader ([MS-CAB] CFHEADER, CFFOLDER, CFFILE, CFDATA; MSZIP):
// directory listing, bounded extraction, and the optional cabextract fallback for LZX/Quantum.

export { readCabinetDirectory, compressionOf } from './directory';
export { extractCabinetFile } from './extract';
export { cabextractFallback } from './lzx-cabextract';
export { cabChecksum, cfdataChecksum } from './checksum';
export type { CabCompression, CabDirectory, CabFileEntry, CabFolderEntry, CabResult, ExtractOptions } from './types';
export { buildCabinet, type BuildCabinetOptions, type CabinetFile } from './write';
