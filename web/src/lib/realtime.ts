import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useRealtimeChannel, type RealtimeChannel, type RealtimeStatus } from './realtime-channel';

export type { RealtimeEvent, RealtimeStatus } from './realtime-channel';

export interface RealtimeSubscription extends Omit<RealtimeChannel, 'onChange'> {
  /** Query caches to refresh when an event arrives, and every 3 s while not connected. */
  invalidate: QueryKey[];
}

/** `useRealtimeChannel` that refreshes TanStack Query caches: what the app's pages use. */
export function useRealtime({ invalidate, ...subscription }: RealtimeSubscription): RealtimeStatus {
  const queryClient = useQueryClient();
  return useRealtimeChannel({
    ...subscription,
    onChange: () => {
      for (const key of invalidate) void queryClient.invalidateQueries({ queryKey: key });
    },
  });
}
