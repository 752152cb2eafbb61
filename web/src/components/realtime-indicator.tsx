import type { RealtimeStatus } from '../lib/realtime';

const labels: Record<RealtimeStatus, { text: string; title: string; dot: string }> = {
  live: {
    text: 'Connected',
    title: 'Real-time updates are on: this page updates by itself as things happen.',
    dot: 'bg-slate-500',
  },
  connecting: {
    text: 'Connecting…',
    title: 'Connecting for real-time updates.',
    dot: 'bg-slate-300',
  },
  polling: {
    text: 'Refreshing every 3 s',
    title: 'Real-time updates are off for now: this page refreshes every 3 seconds instead.',
    dot: 'bg-slate-300',
  },
};

/**
 * Whether the page follows its data over the WebSocket. Deliberately neutral and never worded
 * "live": next to the test/live switch, only live mode may say live.
 */
export function RealtimeIndicator({ status }: { status: RealtimeStatus }) {
  const label = labels[status];
  return (
    <span
      className="inline-flex items-center gap-1.5 text-xs text-slate-500"
      data-testid="realtime-status"
      data-status={status}
      title={label.title}
    >
      <span className={`h-2 w-2 rounded-full ${label.dot}`} aria-hidden="true" />
      {label.text}
    </span>
  );
}
