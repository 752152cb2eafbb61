import type { SessionResource, UserResource } from '@expe/contracts';

/**
 * The signed-in session. The access token lives only in this module's memory; the refresh
 * token is an httpOnly cookie the page cannot read. A reload therefore starts signed out and
 * asks `/v1/auth/refresh` for a new access token.
 */
export type SessionState =
  | { status: 'loading'; user: null }
  | { status: 'anonymous'; user: null }
  | { status: 'signed_in'; user: UserResource };

let accessToken: string | null = null;
let state: SessionState = { status: 'loading', user: null };
const listeners = new Set<() => void>();
let refreshing: Promise<string | null> | null = null;

// Not a credential: only a hint that a refresh cookie may exist, so anonymous visitors do not
// send a refresh request that can only fail.
const hintKey = 'expe.hasSession';

function emit(next: SessionState) {
  state = next;
  for (const listener of listeners) listener();
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getSessionState(): SessionState {
  return state;
}

export function getAccessToken(): string | null {
  return accessToken;
}

export function applySession(session: SessionResource): void {
  accessToken = session.access_token;
  try {
    localStorage.setItem(hintKey, '1');
  } catch {
    // storage may be disabled; the hint is only an optimisation
  }
  emit({ status: 'signed_in', user: session.user });
}

export function updateUser(user: UserResource): void {
  if (state.status === 'signed_in') emit({ status: 'signed_in', user });
}

export function clearSession(): void {
  accessToken = null;
  try {
    localStorage.removeItem(hintKey);
  } catch {
    // see applySession
  }
  emit({ status: 'anonymous', user: null });
}

function hasSessionHint(): boolean {
  try {
    return localStorage.getItem(hintKey) === '1';
  } catch {
    return true;
  }
}

/** Trades the refresh cookie for a new access token; concurrent callers share one request. */
export function refreshSession(): Promise<string | null> {
  refreshing ??= (async () => {
    try {
      const response = await fetch('/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: '{}',
        credentials: 'same-origin',
      });
      if (!response.ok) {
        clearSession();
        return null;
      }
      const session = (await response.json()) as SessionResource;
      applySession(session);
      return session.access_token;
    } catch {
      clearSession();
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** Runs once at start-up: resume the session from the cookie if there may be one. */
export async function restoreSession(): Promise<void> {
  if (!hasSessionHint()) {
    emit({ status: 'anonymous', user: null });
    return;
  }
  await refreshSession();
}

export async function signOut(): Promise<void> {
  try {
    await fetch('/v1/auth/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      credentials: 'same-origin',
    });
  } finally {
    clearSession();
  }
}
