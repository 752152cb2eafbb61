import type { ProjectResource } from '@expe/contracts';
import { useQuery } from '@tanstack/react-query';
import { KeyRound, RotateCw } from 'lucide-react';
import { Empty, QueryState } from '../../../components/states';
import { Badge, Button, Card, StatusBadge } from '../../../components/ui';
import { formatDate } from '../../../lib/format';
import { listApiKeys, merchantKeysQuery } from '../api';
import type { DeveloperDialog } from './developer-dialog';

/** The API keys of one project, each with its mode, status, use and roll/revoke buttons. */
export function ApiKeysCard({
  project,
  openDialog,
}: {
  project: ProjectResource;
  openDialog: (dialog: DeveloperDialog) => void;
}) {
  const keys = useQuery({
    queryKey: merchantKeysQuery.apiKeys(project.id),
    queryFn: () => listApiKeys(project.id),
  });
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          <KeyRound className="h-5 w-5 text-slate-400" aria-hidden="true" />
          API keys · {project.name}
        </span>
      }
      actions={
        <Button onClick={() => openDialog({ kind: 'create-key', project })}>Create key</Button>
      }
    >
      <QueryState query={keys}>
        {(page) =>
          page.data.length === 0 ? (
            <Empty title="No keys yet">Create a test key to call the API.</Empty>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="api-keys">
              {page.data.map((key) => (
                <li
                  key={key.id}
                  className="flex flex-wrap items-center gap-x-3 gap-y-2 py-3 text-sm"
                >
                  <div className="min-w-0 flex-1">
                    <p className="flex flex-wrap items-center gap-2 font-medium">
                      {key.name}{' '}
                      <Badge tone={key.mode === 'test' ? 'amber' : 'green'}>{key.mode}</Badge>{' '}
                      <StatusBadge status={key.status} />
                    </p>
                    <p className="mt-1 font-mono text-xs text-slate-500">
                      {key.secret_masked} · {key.publishable}
                    </p>
                    <p className="text-xs text-slate-500">
                      Created {formatDate(key.created)} ·{' '}
                      {key.last_used ? `last used ${formatDate(key.last_used)}` : 'never used'}
                      {key.expiring_secrets.length > 0 &&
                        ` · ${key.expiring_secrets.length} old secret(s) still valid`}
                    </p>
                  </div>
                  {key.status === 'active' && (
                    <div className="flex gap-2">
                      <Button
                        variant="secondary"
                        onClick={() => openDialog({ kind: 'roll', project, key })}
                      >
                        <RotateCw className="h-4 w-4" aria-hidden="true" /> Roll
                      </Button>
                      <Button
                        variant="danger"
                        onClick={() => openDialog({ kind: 'revoke', project, key })}
                      >
                        Revoke
                      </Button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </Card>
  );
}
