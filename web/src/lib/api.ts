import { consoleHeaders } from './merchant-keys';
import { getAccessToken, refreshSession } from './session';

/** The API's error object, thrown for every non-2xx answer so pages can switch on `code`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
    readonly type?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | undefined | null>;

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Query;
  /**
   * `user` (default): the signed-in person's access token, refreshed once on 401;
   * `none`: anonymous; `{ bearer }`: sent as the bearer (a payer token), except a console
   * credential (lib/merchant-keys.ts), which becomes the person's token (refreshed once on 401)
   * with `Expe-Project` and `Expe-Mode`.
   */
  auth?: 'user' | 'none' | { bearer: string };
  signal?: AbortSignal;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function send(
  path: string,
  options: RequestOptions,
  bearer: string | null,
  acting: { project: string; mode: string } | null = null,
) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (acting) {
    headers['expe-project'] = acting.project;
    headers['expe-mode'] = acting.mode;
  }
  return fetch(withQuery(path, options.query), {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: 'same-origin',
    signal: options.signal,
  });
}

async function toError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; param?: string; type?: string };
    };
    if (body.error) {
      return new ApiError(
        response.status,
        body.error.code ?? 'unknown',
        body.error.message ?? response.statusText,
        body.error.param,
        body.error.type,
      );
    }
  } catch {
    // not JSON: fall through to a generic error
  }
  return new ApiError(response.status, 'http_error', `Request failed (${response.status})`);
}

/** Calls the Expe API on this origin and returns the parsed JSON (undefined for 204). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const auth = options.auth ?? 'user';
  const acting = typeof auth === 'object' ? consoleHeaders(auth.bearer) : null;
  const isSession = auth === 'user' || acting !== null;
  const bearer = auth === 'none' ? null : isSession ? getAccessToken() : auth.bearer;
  let response = await send(path, options, bearer, acting);
  if (response.status === 401 && isSession) {
    const token = await refreshSession();
    if (token) response = await send(path, options, token, acting);
  }
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The message to show for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}

export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}
