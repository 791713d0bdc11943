// The part of httpntlm (a dev dependency: a real NTLM client for the CER auth e2e tests) that the tests use.

declare module 'httpntlm' {
  interface NtlmOptions {
    url: string;
    username: string;
    password: string;
    domain?: string;
    workstation?: string;
    body?: Buffer | string;
    headers?: Record<string, string>;
  }
  interface NtlmResponse {
    statusCode: number;
    headers: Record<string, string | string[]>;
    body: string;
  }
  type Callback = (err: Error | null, res: NtlmResponse) => void;
  export function post(options: NtlmOptions, callback: Callback): void;
  export function put(options: NtlmOptions, callback: Callback): void;
}
