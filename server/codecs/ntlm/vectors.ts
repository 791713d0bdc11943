// MS-NLMP 4.2.1 common values and the 4.2.4 NTLMv2 example (4.2.4.1 results, 4.2.4.3 messages), as hex,
// for the codec and CER auth tests.

/** 4.2.1: User, UserDom, Passwd, Workstation, the ServerChallenge and ClientChallenge. */
export const SPEC = { user: 'User', domain: 'Domain', password: 'Password', workstation: 'COMPUTER', serverChallenge: '0123456789abcdef', clientChallenge: 'aaaaaaaaaaaaaaaa' };

/** 4.2.4.3 CHALLENGE_MESSAGE: flags e28a8233, TargetName "Server", TargetInfo NbDomain "Domain", NbComputer "Server" (104 bytes, MS-NLMP's own dump, 16 bytes a line). */
export const SPEC_CHALLENGE = [
  '4e544c4d53535000020000000c000c00',
  '3800000033828ae20123456789abcdef',
  '00000000000000002400240044000000',
  '060070170000000f5300650072007600',
  '6500720002000c0044006f006d006100',
  '69006e0001000c005300650072007600',
  '6500720000000000',
].join('');

/** 4.2.4.3 AUTHENTICATE_MESSAGE: LMv2 at 0x6c, the NTLMv2 response (NTProofStr first) at 0x84, no MIC (232 bytes, MS-NLMP's own dump, 16 bytes a line). */
export const SPEC_AUTHENTICATE = [
  '4e544c4d535350000300000018001800',
  '6c00000054005400840000000c000c00',
  '48000000080008005400000010001000',
  '5c00000010001000d8000000358288e2',
  '0501280a0000000f44006f006d006100',
  '69006e00550073006500720043004f00',
  '4d005000550054004500520086c35097',
  'ac9cec102554764a57cccc19aaaaaaaa',
  'aaaaaaaa68cd0ab851e51c96aabc927b',
  'ebef6a1c010100000000000000000000',
  '00000000aaaaaaaaaaaaaaaa00000000',
  '02000c0044006f006d00610069006e00',
  '01000c00530065007200760065007200',
  '0000000000000000c5dad2544fc97990',
  '94ce1ce90bc9d03e',
].join('');

/** 4.2.4.1.1 NTOWFv2("Password", "User", "Domain"); 4.2.4.2.2 NTProofStr. */
export const SPEC_NTOWFV2 = '0c868a403bfd7a93a3001ef22ef02e3f';
export const SPEC_NT_PROOF = '68cd0ab851e51c96aabc927bebef6a1c';

export const hex = (h: string): Buffer => Buffer.from(h, 'hex');
