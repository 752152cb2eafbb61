import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Clock } from 'lucide-react';
import type { ProjectResource } from '@expe/contracts';
import { Empty, Loading, QueryState } from '../../../components/states';
import { useToast } from '../../../components/toast';
import { Button, Card } from '../../../components/ui';
import { formatDate } from '../../../lib/format';
import { consoleCredential, useMerchantKeys, type SessionKey } from '../../../lib/merchant-keys';
import { advanceTestClock, getTestClock, testClockKeys } from '../api';

const steps = [
  { label: '+1 hour', seconds: 3600 },
  { label: '+1 day', seconds: 86_400 },
  { label: '+2 days', seconds: 2 * 86_400 },
  { label: '+7 days', seconds: 7 * 86_400 },
];

function describeOffset(seconds: number): string {
  if (seconds === 0) return 'real time';
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const parts = [days && `${days} d`, hours && `${hours} h`, minutes && `${minutes} min`];
  return `${parts.filter(Boolean).join(' ') || `${seconds} s`} ahead of real time`;
}

function Clocked({ apiKey }: { apiKey: SessionKey }) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const clock = useQuery({
    queryKey: testClockKeys.clock(apiKey.id),
    queryFn: () => getTestClock(apiKey.secret),
  });
  const advance = useMutation({
    mutationFn: (seconds: number) => advanceTestClock(apiKey.secret, seconds),
    onSuccess: (moved) => {
      queryClient.setQueryData(testClockKeys.clock(apiKey.id), moved);
      // Payments may have expired, completed or been released: every list is stale.
      void queryClient.invalidateQueries({ queryKey: ['payments', apiKey.id] });
      toast.success(`Test clock now ${formatDate(moved.now)}`);
    },
    onError: toast.error,
  });
  return (
    <QueryState query={clock}>
      {(data) => (
        <div className="space-y-4" data-testid="test-clock">
          <div>
            <p className="text-2xl font-semibold tabular-nums" data-testid="test-clock-now">
              {formatDate(data.now)}
            </p>
            <p className="text-sm text-slate-600" data-testid="test-clock-offset">
              {describeOffset(data.offset_seconds)}
            </p>
          </div>
          <div className="flex flex-wrap gap-2">
            {steps.map((step) => (
              <Button
                key={step.seconds}
                variant="secondary"
                disabled={advance.isPending}
                onClick={() => advance.mutate(step.seconds)}
              >
                {step.label}
              </Button>
            ))}
          </div>
          <p className="text-xs text-slate-500">
            Moving ahead runs everything due by then: unpaid payments expire, pending UPI payments
            complete, uncaptured authorizations are released after 7 days, funds become available
            after 2 days. The clock never goes back; webhook retries keep real time.
          </p>
        </div>
      )}
    </QueryState>
  );
}

/**
 * The test clock of the project the console acts for (test mode only: live mode always runs on
 * real time). `project` is undefined while the projects load, null when there is none.
 */
export function TestClockCard({ project }: { project: ProjectResource | null | undefined }) {
  const { mode } = useMerchantKeys();
  return (
    <Card
      title={
        <span className="inline-flex items-center gap-2">
          <Clock className="h-4 w-4" aria-hidden="true" /> Test clock
        </span>
      }
    >
      <div data-testid="test-clock-state">
        {project === undefined ? (
          <Loading />
        ) : project === null ? (
          <Empty title="No project yet">Create a project to move its test clock.</Empty>
        ) : mode === 'live' ? (
          <Empty title="Test mode only">
            Switch to test mode in the header to move {project.name}&rsquo;s test clock: live mode
            always runs on real time.
          </Empty>
        ) : (
          <Clocked apiKey={consoleCredential(project.id, mode)} />
        )}
      </div>
    </Card>
  );
}
