import type { WebhookEndpointResource } from '@expe/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Empty, QueryState } from '../../components/states';
import { useToast } from '../../components/toast';
import { Button, Card, PageHeader } from '../../components/ui';
import { ConsoleNav } from '../console';
import { RequireKey } from '../merchants';
import { listEndpoints, sendTestEvent, updateEndpoint, webhookKeys } from './api';
import { EndpointDialogs, type EndpointDialog } from './components/endpoint-dialogs';
import { EndpointList } from './components/endpoint-list';
import type { SessionKey } from '../../lib/merchant-keys';

/** The project's webhook endpoints: enable/disable and test here, the rest in dialogs. */
function Endpoints({ apiKey }: { apiKey: SessionKey }) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<EndpointDialog>(null);
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
            <EndpointList
              endpoints={page.data}
              onOpen={setDialog}
              onToggle={(endpoint) => toggle.mutate(endpoint)}
              onTest={(endpoint) => test.mutate(endpoint)}
              toggling={toggle.isPending ? toggle.variables.id : undefined}
              testing={test.isPending ? test.variables.id : undefined}
            />
          )
        }
      </QueryState>
      <EndpointDialogs
        apiKey={apiKey}
        dialog={dialog}
        setDialog={setDialog}
        onChanged={invalidate}
      />
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
      <RequireKey picker>{(key) => <Endpoints apiKey={key} />}</RequireKey>
    </div>
  );
}
