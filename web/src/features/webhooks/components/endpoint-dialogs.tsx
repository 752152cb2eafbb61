import type { WebhookEndpointResource } from '@expe/contracts';
import { useMutation } from '@tanstack/react-query';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { Modal } from '../../../components/modal';
import { SecretRevealDialog } from '../../../components/secret-reveal-dialog';
import { useToast } from '../../../components/toast';
import type { SessionKey } from '../../../lib/merchant-keys';
import { createEndpoint, deleteEndpoint, rotateEndpointSecret, updateEndpoint } from '../api';
import { EndpointForm } from './endpoint-form';

/** The dialog the webhooks page has open, with the endpoint it acts on. */
export type EndpointDialog =
  | { kind: 'create' }
  | { kind: 'edit' | 'delete' | 'rotate'; endpoint: WebhookEndpointResource }
  | { kind: 'secret'; secret: string; title: string }
  | null;

/** Add, edit, rotate the secret of, and delete an endpoint; a new secret is shown once. */
export function EndpointDialogs({
  apiKey,
  dialog,
  setDialog,
  onChanged,
}: {
  apiKey: SessionKey;
  dialog: EndpointDialog;
  setDialog: (dialog: EndpointDialog) => void;
  onChanged: () => Promise<unknown>;
}) {
  const toast = useToast();
  const close = () => setDialog(null);
  const invalidate = onChanged;
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
      close();
      void invalidate();
    },
    onError: toast.error,
  });
  return (
    <>
      <Modal open={dialog?.kind === 'create'} title="Add webhook endpoint" onClose={close}>
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
      <Modal open={dialog?.kind === 'edit'} title="Edit endpoint" onClose={close}>
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
              close();
              await invalidate();
            }}
          />
        )}
      </Modal>
      <ConfirmDialog
        open={dialog?.kind === 'rotate'}
        title="Rotate signing secret?"
        onClose={close}
        tone="primary"
        confirmLabel="Rotate"
        busy={rotate.isPending}
        onConfirm={() => dialog?.kind === 'rotate' && rotate.mutate(dialog.endpoint)}
      >
        A new secret signs every delivery from now on; the old one also signs for 24 hours, so
        receivers can switch without missing events.
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog?.kind === 'delete'}
        title="Delete endpoint?"
        onClose={close}
        cancelLabel="Keep it"
        confirmLabel="Delete endpoint"
        busy={remove.isPending}
        onConfirm={() => dialog?.kind === 'delete' && remove.mutate(dialog.endpoint)}
      >
        <code className="break-all font-mono">
          {dialog?.kind === 'delete' ? dialog.endpoint.url : ''}
        </code>{' '}
        gets no more events, and its pending deliveries stop. This cannot be undone.
      </ConfirmDialog>
      <SecretRevealDialog
        open={dialog?.kind === 'secret'}
        title={dialog?.kind === 'secret' ? dialog.title : ''}
        secret={dialog?.kind === 'secret' ? dialog.secret : null}
        onClose={close}
      >
        <p>
          Verify the <code className="font-mono">Expe-Signature</code> header with this secret.
        </p>
      </SecretRevealDialog>
    </>
  );
}
