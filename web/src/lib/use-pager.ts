import { useState } from 'react';

/**
 * Cursor paging over a newest-first list: a stack of `starting_after` cursors, so "Newer"
 * returns to exactly the page seen before.
 */
export function usePager(resetKey = '') {
  const [state, setState] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key: resetKey,
    cursors: [undefined],
  });
  const cursors = state.key === resetKey ? state.cursors : [undefined];
  const index = cursors.length - 1;
  return {
    startingAfter: cursors[index],
    page: index + 1,
    canGoBack: index > 0,
    next: (lastId: string) => setState({ key: resetKey, cursors: [...cursors, lastId] }),
    back: () => setState({ key: resetKey, cursors: cursors.slice(0, -1) }),
  };
}
