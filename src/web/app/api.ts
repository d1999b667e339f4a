import i18n, { currentLanguage } from './i18n';

/** Base path of the JSON API. */
export const API_BASE = '/api/v1';
const CSRF_COOKIE = 'miaopu_csrf';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Record<string, QueryValue>;

/** An error answered by the server (`{ error: { code, message, details } }`) or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** A paged list answer. */
export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface UnauthorizedInfo {
  code: string;
  path: string;
}

type UnauthorizedHandler = (info: UnauthorizedInfo) => void;
let unauthorizedHandler: UnauthorizedHandler | null = null;

/** Called on 401 UNAUTHENTICATED / SESSION_EXPIRED from any call except login. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  unauthorizedHandler = handler;
}

/**
 * Step-up (issue #16): a PII reveal or bulk export answered 403 STEP_UP_REQUIRED asks the user for a fresh
 * authenticator code (the StepUpHost modal), then the request is sent once more.
 */
let stepUpHandler: (() => Promise<boolean>) | null = null;
export function setStepUpHandler(handler: (() => Promise<boolean>) | null): void {
  stepUpHandler = handler;
}
/** True when `error` asked for step-up and the user has just confirmed a code: the caller retries once. */
export async function stepUpRetry(error: unknown): Promise<boolean> {
  return isApiError(error) && error.code === 'STEP_UP_REQUIRED' && stepUpHandler !== null && (await stepUpHandler());
}

export function buildUrl(path: string, query?: QueryParams): string {
  const url = path.startsWith('/api/') ? path : `${API_BASE}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

let csrfRequest: Promise<string> | null = null;

async function csrfToken(refresh: boolean): Promise<string> {
  if (!refresh) {
    const fromCookie = readCookie(CSRF_COOKIE);
    if (fromCookie) return fromCookie;
  }
  csrfRequest ??= (async () => {
    const res = await fetch(buildUrl('/auth/csrf'), {
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Accept-Language': currentLanguage() },
    });
    if (!res.ok) throw await errorFrom(res);
    const body = (await res.json()) as { token?: string };
    return readCookie(CSRF_COOKIE) ?? body.token ?? '';
  })().finally(() => {
    csrfRequest = null;
  });
  return csrfRequest;
}

async function errorFrom(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON (proxy error page, empty body)
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && typeof error.code === 'string') {
    const message = typeof error.message === 'string' && error.message ? error.message : i18n.t('errors.unknown');
    return new ApiError(res.status, error.code, message, error.details);
  }
  return new ApiError(res.status, `HTTP_${res.status}`, i18n.t('errors.http', { status: res.status }));
}

export interface RequestOptions {
  query?: QueryParams;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not treat a 401 as an expired session (the login call). */
  skipAuthRedirect?: boolean;
  headers?: Record<string, string>;
  /**
   * A timer-driven poll, not a user action: marked with `x-miaopu-poll: 1` so that the server can leave the session's
   * idle timer alone (otherwise an unattended open tab would never time out).
   */
  background?: boolean;
  /** Already retried after a step-up (issue #16). */
  stepUpDone?: boolean;
}

/**
 * A random Idempotency-Key for a creating request. Uses getRandomValues, which (unlike randomUUID) also works on
 * plain-HTTP intranet addresses.
 */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Field errors of a VALIDATION_FAILED answer: `{ fields: [{ field: 'body.username', message }] }`. */
export function fieldErrorsOf(error: unknown, prefix = 'body.'): { name: string; message: string }[] {
  if (!isApiError(error)) return [];
  const fields = (error.details as { fields?: unknown } | null)?.fields;
  if (!Array.isArray(fields)) return [];
  return fields
    .filter(
      (f): f is { field: string; message: string } =>
        typeof f?.field === 'string' && typeof f?.message === 'string' && f.field.startsWith(prefix),
    )
    .map((f) => ({ name: f.field.slice(prefix.length), message: f.message }));
}

export async function apiRequest<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
  const url = buildUrl(path, options.query);
  const unsafe = UNSAFE_METHODS.has(method);
  const headers: Record<string, string> = {
    ...options.headers,
    Accept: 'application/json',
    'Accept-Language': currentLanguage(),
  };
  if (options.background) headers['x-miaopu-poll'] = '1';
  let body: string | undefined;
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body ?? {});
  }

  const send = async (refreshCsrf: boolean): Promise<Response> => {
    if (unsafe) headers['x-csrf-token'] = await csrfToken(refreshCsrf);
    return fetch(url, { method, headers, body, credentials: 'same-origin', signal: options.signal });
  };

  let res: Response;
  try {
    res = await send(false);
    if (unsafe && res.status === 403) {
      const error = await errorFrom(res.clone());
      // A stale or missing CSRF cookie: fetch a fresh token once and retry.
      if (error.code.includes('CSRF')) res = await send(true);
    }
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    if (cause instanceof ApiError) throw cause;
    throw new ApiError(0, 'NETWORK_ERROR', i18n.t('errors.network'));
  }

  if (!res.ok) {
    const error = await errorFrom(res);
    if (
      res.status === 401 &&
      !options.skipAuthRedirect &&
      (error.code === 'UNAUTHENTICATED' || error.code === 'SESSION_EXPIRED')
    ) {
      unauthorizedHandler?.({ code: error.code, path });
    }
    if (!options.stepUpDone && (await stepUpRetry(error)))
      return apiRequest<T>(method, path, { ...options, stepUpDone: true });
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: QueryParams, signal?: AbortSignal) => apiRequest<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    apiRequest<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown) => apiRequest<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => apiRequest<T>('PATCH', path, { body }),
  delete: <T>(path: string) => apiRequest<T>('DELETE', path),
};
