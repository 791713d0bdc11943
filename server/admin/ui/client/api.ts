// The page's calls to the admin API: same origin, JSON, and the admin token (kept in this tab's
// sessionStorage) as `Authorization: Bearer`. State changes send JSON, which the CSRF guard
// (server/admin/guard.ts) lets through from the page's own origin.

const TOKEN_KEY = 'sqm-cer-mock.admin-token';
/** The admin API, relative to the page at /__admin/ui/. */
const BASE = new URL('../', location.href);

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const token = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (t: string): void => sessionStorage.setItem(TOKEN_KEY, t),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** Called when the API answers 401: the page asks for the token. */
let onUnauthorized: () => void = () => undefined;
export const whenUnauthorized = (f: () => void): void => void (onUnauthorized = f);

export const apiUrl = (path: string): string => new URL(path.replace(/^\//, ''), BASE).href;

export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const t = token.get();
  if (t) headers.set('authorization', `Bearer ${t}`);
  const res = await fetch(apiUrl(path), { ...init, headers, credentials: 'omit', cache: 'no-store' });
  if (res.ok) return res;
  if (res.status === 401) onUnauthorized();
  let code = 'HTTP';
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: { code: string; message: string } };
    if (body.error) ({ code, message } = body.error);
  } catch {
    // not JSON: the status line says enough
  }
  throw new ApiError(res.status, code, message);
}

export const getJson = async <T>(path: string): Promise<T> => (await call(path)).json() as Promise<T>;

export const sendJson = async <T>(method: string, path: string, body: unknown): Promise<T> =>
  (await call(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<T>;

/** A list route followed page by page (`X-Next-Cursor`), each page handed over as it arrives. */
export async function eachPage<T>(path: string, key: string, onPage: (rows: T[]) => void): Promise<number | undefined> {
  let url = path;
  let last: number | undefined;
  for (;;) {
    const res = await call(url);
    const rows = ((await res.json()) as Record<string, T[]>)[key] ?? [];
    onPage(rows);
    const next = res.headers.get('x-next-cursor');
    if (rows.length > 0) last = (rows[rows.length - 1] as { id?: number }).id ?? last;
    if (!next) return last;
    url = `${path}${path.includes('?') ? '&' : '?'}since=${next}`;
  }
}
