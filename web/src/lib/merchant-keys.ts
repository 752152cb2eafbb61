import { useSyncExternalStore } from 'react';
import type { Mode } from '@expe/contracts';

/**
 * What the merchant console acts as: one project in one mode, chosen in the UI (the project
 * picker and the test/live switch). The console never holds a secret key: it calls the API with
 * the signed-in merchant user's own session plus `Expe-Project` and `Expe-Mode`,
 * which the gateway treats exactly as that project's secret key of that mode. The web app never
 * creates or rolls a key unless the person asks for one on the developers page.
 *
 * `SessionKey` keeps the shape the pages and API modules already pass around (an id for query
 * caches, and a `secret` handed to `{ bearer }`); its `secret` is a console credential
 * (`expe-session:<project>:<mode>`) that `lib/api.ts` turns into those headers on the session's
 * token. It is not a key and never leaves the browser as one.
 */
export interface SessionKey {
  id: string;
  name: string;
  projectId: string;
  mode: Mode;
  secret: string;
}

interface ConsoleState {
  mode: Mode;
  projectId: string | null;
}

const initial: ConsoleState = { mode: 'test', projectId: null };

// The choice survives a reload of the tab (sessionStorage: per tab, gone when it closes, so a new
// tab starts in test mode). Only ids and the mode are kept, never a credential.
const storageKey = 'expe.console';

function load(): ConsoleState {
  try {
    const saved = JSON.parse(sessionStorage.getItem(storageKey) ?? 'null') as unknown;
    if (!saved || typeof saved !== 'object') return initial;
    const { mode, projectId } = saved as Record<string, unknown>;
    return {
      mode: mode === 'live' ? 'live' : 'test',
      projectId: typeof projectId === 'string' && projectId ? projectId : null,
    };
  } catch {
    return initial;
  }
}

function save(next: ConsoleState) {
  try {
    if (next.projectId === null && next.mode === 'test') sessionStorage.removeItem(storageKey);
    else sessionStorage.setItem(storageKey, JSON.stringify(next));
  } catch {
    // Storage refused (a private window's quota): the choice lasts until the reload.
  }
}

let state: ConsoleState = load();
const listeners = new Set<() => void>();

function set(next: Partial<ConsoleState>) {
  state = { ...state, ...next };
  save(state);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const merchantKeys = {
  get: () => state,
  setMode: (mode: Mode) => set({ mode }),
  setProject: (projectId: string | null) => set({ projectId }),
  reset: () => set({ mode: 'test', projectId: null }),
};

export function useMerchantKeys(): ConsoleState {
  return useSyncExternalStore(
    subscribe,
    () => state,
    () => state,
  );
}

const consolePrefix = 'expe-session:';

/** The console credential of a project and mode (see `SessionKey`). */
export function consoleCredential(projectId: string, mode: Mode): SessionKey {
  return {
    id: `console_${projectId}_${mode}`,
    name: 'your session',
    projectId,
    mode,
    secret: `${consolePrefix}${projectId}:${mode}`,
  };
}

/** `Expe-Project`/`Expe-Mode` for a console credential; null for a real bearer (a payer token). */
export function consoleHeaders(bearer: string): { project: string; mode: Mode } | null {
  if (!bearer.startsWith(consolePrefix)) return null;
  const [project = '', mode] = bearer.slice(consolePrefix.length).split(':');
  return { project, mode: mode === 'live' ? 'live' : 'test' };
}

/** What the console acts as for the chosen project and mode; null until a project is chosen. */
export function selectActiveKey(current: ConsoleState): SessionKey | null {
  return current.projectId ? consoleCredential(current.projectId, current.mode) : null;
}

export function useActiveKey(): SessionKey | null {
  return selectActiveKey(useMerchantKeys());
}
