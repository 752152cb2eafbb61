import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useState } from 'react';
import { Modal } from '../../components/modal';
import { Empty, QueryState } from '../../components/states';
import { useToast } from '../../components/toast';
import { Button, Card, PageHeader, Secret, StatusBadge } from '../../components/ui';
import { ConsoleNav } from '../../features/console/components/console-nav';
import { KeyPicker, RequireKey } from '../../features/merchants/components/key-picker';
import {
  createEndpoint,
  deleteEndpoint,
  listEndpoints,
  rotateEndpointSecret,
  sendTestEvent,
  updateEndpoint,
  webhookKeys,
} from '../../features/webhooks/api';
import { EndpointForm } from '../../features/webhooks/components/endpoint-form';
import { formatDate } from '../../lib/format';
import type { SessionKey } from '../../lib/merchant-keys';
import type { WebhookEndpointResource } from '@expe/contracts';

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit' | 'delete' | 'rotate'; endpoint: WebhookEndpointResource }
  | { kind: 'secret'; secret: string; title: string }
  | null;

function Endpoints({ apiKey }: { apiKey: SessionKey }) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>(null);
  const endpoints = useQuery({
    queryKey: webhookKeys.endpoints(apiKey.id),
    queryFn: () => listEndpoints(apiKey.secret),
  });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: webhookKeys.all });
  const toggle = useMutation({
    mutationFn: (endpoint: WebhookEndpointResource) =>
      updateEndpoint(apiKey.secret, endpoint.id, { disabled: endpoint.status === 'enabled' }),
    onSuccess: (endpoint) => {
      toast.success(`Endpoint ${endpoint.status}`);
      void invalidate();
    },
    onError: toast.error,
  });
  const test = useMutation({
    mutationFn: (endpoint: WebhookEndpointResource) => sendTestEvent(apiKey.secret, endpoint.id),
    onSuccess: () => {
      toast.success('Test event sent: see the delivery log');
      void invalidate();
    },
    onError: toast.error,
  });
  const rotate = useMutation({
    mutationFn: (endpoint: WebhookEndpointResource) =>
      rotateEndpointSecret(apiKey.secret, endpoint.id, 24 * 3600),
    onSuccess: (endpoint) =>
      setDialog(
        endpoint.secret
          ? { kind: 'secret', secret: endpoint.secret, title: 'New signing secret' }
          : null,
      ),
    onError: toast.error,
  });
  const remove = useMutation({
    mutationFn: (endpoint: WebhookEndpointResource) => deleteEndpoint(apiKey.secret, endpoint.id),
    onSuccess: () => {
      toast.success('Endpoint deleted');
      setDialog(null);
      void invalidate();
    },
    onError: toast.error,
  });

  return (
    <Card
      title="Webhook endpoints"
      actions={<Button onClick={() => setDialog({ kind: 'create' })}>Add endpoint</Button>}
    >
      <QueryState query={endpoints}>
        {(page) =>
          page.data.length === 0 ? (
            <Empty title="No endpoints">Add one to receive payment and refund events.</Empty>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="endpoints">
              {page.data.map((endpoint) => (
                <li key={endpoint.id} className="space-y-2 py-3 text-sm">
                  <div className="flex flex-wrap items-center gap-2">
                    <code className="min-w-0 break-all font-mono text-sm font-medium">
                      {endpoint.url}
                    </code>
                    <StatusBadge status={endpoint.status} />
                  </div>
                  <p className="text-xs text-slate-500">
                    {endpoint.enabled_events.includes('*')
                      ? 'All events'
                      : endpoint.enabled_events.join(', ')}{' '}
                    · created {formatDate(endpoint.created)}
                    {endpoint.description ? ` · ${endpoint.description}` : ''}
                  </p>
                  <div className="flex flex-wrap gap-2">
                    <Button
                      variant="secondary"
                      onClick={() => setDialog({ kind: 'edit', endpoint })}
                    >
                      Edit events
                    </Button>
                    <Button
                      variant="secondary"
                      busy={toggle.isPending && toggle.variables.id === endpoint.id}
                      onClick={() => toggle.mutate(endpoint)}
                    >
                      {endpoint.status === 'enabled' ? 'Disable' : 'Enable'}
                    </Button>
                    <Button
                      variant="secondary"
                      onClick={() => setDialog({ kind: 'rotate', endpoint })}
                    >
                      Rotate secret
                    </Button>
                    <Button
                      variant="secondary"
                      busy={test.isPending && test.variables.id === endpoint.id}
                      onClick={() => test.mutate(endpoint)}
                    >
                      Send test event
                    </Button>
                    <Link
                      className="inline-flex items-center rounded-lg px-3 py-2 text-sm font-medium text-brand-700 hover:bg-brand-50"
                      to={`/webhooks/logs?endpoint=${endpoint.id}`}
                    >
                      Delivery log
                    </Link>
                    <Button
                      variant="danger-ghost"
                      onClick={() => setDialog({ kind: 'delete', endpoint })}
                    >
                      Delete
                    </Button>
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
      <Modal
        open={dialog?.kind === 'create'}
        title="Add webhook endpoint"
        onClose={() => setDialog(null)}
      >
        {dialog?.kind === 'create' && (
          <EndpointForm
            submitLabel="Add endpoint"
            onSubmit={async (input) => {
              const endpoint = await createEndpoint(apiKey.secret, input);
              await invalidate();
              setDialog({
                kind: 'secret',
                secret: endpoint.secret ?? '',
                title: 'Endpoint added: signing secret',
              });
            }}
          />
        )}
      </Modal>
      <Modal open={dialog?.kind === 'edit'} title="Edit endpoint" onClose={() => setDialog(null)}>
        {dialog?.kind === 'edit' && (
          <EndpointForm
            initial={dialog.endpoint}
            submitLabel="Save"
            onSubmit={async (input) => {
              await updateEndpoint(apiKey.secret, dialog.endpoint.id, {
                ...input,
                description: input.description ?? null,
              });
              toast.success('Endpoint updated');
              setDialog(null);
              await invalidate();
            }}
          />
        )}
      </Modal>
      <Modal
        open={dialog?.kind === 'rotate'}
        title="Rotate signing secret?"
        onClose={() => setDialog(null)}
      >
        {dialog?.kind === 'rotate' && (
          <>
            <p className="mb-4 text-sm text-slate-600">
              A new secret signs every delivery from now on; the old one also signs for 24 hours, so
              receivers can switch without missing events.
            </p>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={() => setDialog(null)}>
                Cancel
              </Button>
              <Button busy={rotate.isPending} onClick={() => rotate.mutate(dialog.endpoint)}>
                Rotate
              </Button>
            </div>
          </>
        )}
      </Modal>
      <Modal
        open={dialog?.kind === 'delete'}
        title="Delete endpoint?"
        onClose={() => setDialog(null)}
      >
        {dialog?.kind === 'delete' && (
          <>
            <p className="mb-4 text-sm text-slate-600">
              Pending deliveries to{' '}
              <code className="break-all font-mono">{dialog.endpoint.url}</code> stop.
            </p>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={() => setDialog(null)}>
                Keep it
              </Button>
              <Button
                variant="danger"
                busy={remove.isPending}
                onClick={() => remove.mutate(dialog.endpoint)}
              >
                Delete
              </Button>
            </div>
          </>
        )}
      </Modal>
      <Modal
        open={dialog?.kind === 'secret'}
        title={dialog?.kind === 'secret' ? dialog.title : ''}
        onClose={() => setDialog(null)}
      >
        {dialog?.kind === 'secret' && (
          <div className="space-y-4">
            <p className="text-sm text-slate-600">
              Verify the <code className="font-mono">Expe-Signature</code> header with this secret.
              It is shown only once.
            </p>
            <Secret value={dialog.secret} />
            <div className="flex justify-end">
              <Button onClick={() => setDialog(null)}>Done</Button>
            </div>
          </div>
        )}
      </Modal>
    </Card>
  );
}

export function WebhooksPage() {
  return (
    <div>
      <PageHeader
        title="Developers"
        description="Webhook endpoints receive signed events as they happen."
      />
      <ConsoleNav />
      <RequireKey>
        {(key) => (
          <div className="space-y-6">
            <KeyPicker compact />
            <Endpoints apiKey={key} />
          </div>
        )}
      </RequireKey>
    </div>
  );
}
