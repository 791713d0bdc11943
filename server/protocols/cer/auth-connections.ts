// What the CER authentication exchange remembers per TCP connection (MS-NLMP 1.3.1.1: NTLM is
// connection-oriented): the CHALLENGE_MESSAGE sent on it, and who the connection authenticated as.
// In memory, bounded; server challenges drawn from the scenario seed, so runs repeat.

import { deriveSeed, mulberry32 } from '../../scenario/rng';

export interface AuthIdentity {
  /** `NTLM`, `Negotiate` (NTLM inside), `Negotiate-Kerberos` (not NTLM, not read) or `Basic`. */
  scheme: string;
  user: string;
  domain: string;
  workstation: string | null;
  /** True when checked against the scenario's cer.credentials; null when none are configured. */
  verified: boolean | null;
}

export interface PendingChallenge {
  /** The 8-byte ServerChallenge sent in the type 2. */
  challenge: Buffer;
  /** `NTLM` or `Negotiate`: the scheme the type 2 was sent under. */
  scheme: string;
  spnego: boolean;
}

/** More open connections than this and the oldest are forgotten (a client that never came back). */
const MAX_CONNECTIONS = 4096;

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_CONNECTIONS) map.delete(map.keys().next().value as string);
}

export class AuthConnections {
  private readonly pending = new Map<string, PendingChallenge>();
  private readonly authenticated = new Map<string, AuthIdentity>();
  /** Challenges issued by this server: never reset, so one server never repeats a challenge. */
  private issued = 0;

  /** The next ServerChallenge: 8 bytes from the scenario's seed (MS-NLMP 3.2.5.1.1: a fresh nonce each time). */
  nextChallenge(seed: number): Buffer {
    const rng = mulberry32(deriveSeed(seed, 0x4e544c4d + this.issued++));
    const out = Buffer.alloc(8);
    out.writeUInt32LE(Math.floor(rng() * 2 ** 32), 0);
    out.writeUInt32LE(Math.floor(rng() * 2 ** 32), 4);
    return out;
  }

  challengeSent(connection: string, p: PendingChallenge): void {
    this.authenticated.delete(connection);
    remember(this.pending, connection, p);
  }

  /** The challenge this connection was sent, taken (a type 3 answers it once). */
  takeChallenge(connection: string): PendingChallenge | undefined {
    const p = this.pending.get(connection);
    this.pending.delete(connection);
    return p;
  }

  authenticatedAs(connection: string, who: AuthIdentity): void {
    remember(this.authenticated, connection, who);
  }

  identityOf(connection: string): AuthIdentity | undefined {
    return this.authenticated.get(connection);
  }

  reset(): void {
    this.pending.clear();
    this.authenticated.clear();
  }
}
