import { useCallback, useEffect, useRef, useState } from 'react';

export interface Resource<T> {
  data: T | undefined;
  /** The last load's failure while there is no data yet (a failed refresh keeps the data). */
  error: unknown;
  isPending: boolean;
  reload: () => Promise<void>;
  /** Replaces the data (e.g. with the answer of a write) and drops loads still in flight. */
  set: (data: T) => void;
}

/**
 * One value loaded when `key` changes and on `reload()`, without a query library: the checkout
 * entry uses it so a merchant's customer does not download TanStack Query (the size budget).
 * `load` null means "not yet" (e.g. no client secret).
 */
export function useResource<T>(key: string, load: (() => Promise<T>) | null): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; isPending: boolean }>({
    isPending: load !== null,
  });
  const latest = useRef(load);
  latest.current = load;
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const current = latest.current;
    if (!current) return;
    const mine = ++generation.current;
    try {
      const data = await current();
      if (mine === generation.current) setState({ data, isPending: false });
    } catch (error) {
      if (mine !== generation.current) return;
      setState((previous) =>
        previous.data === undefined ? { error, isPending: false } : { ...previous },
      );
    }
  }, []);

  const enabled = load !== null;
  useEffect(() => {
    if (enabled) void reload();
  }, [key, enabled, reload]);

  const set = useCallback((data: T) => {
    generation.current += 1;
    setState({ data, isPending: false });
  }, []);

  return { data: state.data, error: state.error, isPending: state.isPending, reload, set };
}
