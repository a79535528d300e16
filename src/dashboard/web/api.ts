// The dashboard's only door to the server: GET/POST JSON on the same origin, with the API key the
// user typed (kept in sessionStorage for this tab, sent as X-API-Key; never part of the page).

const KEY = 'pinpipe.apiKey';

/** The server refused the request: `status` and the API's `{error_code, message}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
  ) {
    super(message);
  }
  /** True when a (valid) API key is what is missing. */
  get needsKey(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** The key typed for this tab, if any. */
export function apiKey(): string | null {
  return sessionStorage.getItem(KEY);
}

/** Remember (or forget, with null) the key for this tab. */
export function setApiKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

/** Call the API; resolves with the JSON answer, rejects with ApiError. */
export async function api<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const key = apiKey();
  if (key) headers['x-api-key'] = key;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    cache: 'no-store',
  });
  const body = (await res.json().catch(() => undefined)) as (T & { error_code?: number; message?: string }) | undefined;
  if (!res.ok) throw new ApiError(res.status, body?.error_code, body?.message ?? `HTTP ${res.status}`);
  return body as T;
}
