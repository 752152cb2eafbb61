import { useSyncExternalStore } from 'react';
import type { Mode } from '@expe/contracts';

/**
 * Secret keys created or rolled in this browser session. A secret is shown once by the API,
 * so the console keeps the ones it received in memory (never in storage) to call the
 * merchant endpoints on the developer's behalf; a reload forgets them.
 */
export interface SessionKey {
  id: string;
  name: string;
  projectId: string;
  mode: Mode;
  secret: string;
}

interface KeyState {
  mode: Mode;
  projectId: string | null;
  keys: Record<string, SessionKey>;
  activeKeyId: string | null;
}

let state: KeyState = { mode: 'test', projectId: null, keys: {}, activeKeyId: null };
const listeners = new Set<() => void>();

function set(next: Partial<KeyState>) {
  state = { ...state, ...next };
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
  remember(key: SessionKey) {
    set({ keys: { ...state.keys, [key.id]: key }, activeKeyId: key.id, projectId: key.projectId });
  },
  forget(keyId: string) {
    const keys = { ...state.keys };
    delete keys[keyId];
    set({ keys, activeKeyId: state.activeKeyId === keyId ? null : state.activeKeyId });
  },
  activate: (keyId: string) => set({ activeKeyId: keyId }),
  reset: () => set({ mode: 'test', projectId: null, keys: {}, activeKeyId: null }),
};

export function useMerchantKeys(): KeyState {
  return useSyncExternalStore(
    subscribe,
    () => state,
    () => state,
  );
}

/** The secret key to use for the chosen project and mode, if this session holds one. */
export function selectActiveKey(current: KeyState): SessionKey | null {
  const matches = (key: SessionKey) =>
    key.mode === current.mode && (!current.projectId || key.projectId === current.projectId);
  const active = current.activeKeyId ? current.keys[current.activeKeyId] : undefined;
  if (active && matches(active)) return active;
  return Object.values(current.keys).find(matches) ?? null;
}

export function useActiveKey(): SessionKey | null {
  return selectActiveKey(useMerchantKeys());
}
