// Scenario `cer.requireAuth` (MS-CER2 1.7: NTLM, Kerberos/Negotiate; or Basic): a request without an
// Authorization header of that scheme gets 401 with the matching WWW-Authenticate. The mock
// records the scheme; it does not verify NTLM/Kerberos tokens (README says so).

import type { Answer, RequestHead } from '../../core/types';
import { textAnswer } from '../../core/types';

const CHALLENGE = { negotiate: 'Negotiate', ntlm: 'NTLM', basic: 'Basic realm="sqm-cer-mock"' } as const;

export type AuthScheme = keyof typeof CHALLENGE;

/** The 401 to send, or null when the request carries the required scheme (or none is required). */
export function authChallenge(head: RequestHead, scheme: AuthScheme | undefined): Answer | null {
  if (!scheme) return null;
  const given = String(head.headers.authorization ?? '')
    .split(' ')[0]
    .toLowerCase();
  if (given === scheme) return null;
  return textAnswer(401, `authentication required: send "Authorization: ${CHALLENGE[scheme].split(' ')[0]} …" (scenario cer.requireAuth)`, {
    'www-authenticate': CHALLENGE[scheme],
  });
}
