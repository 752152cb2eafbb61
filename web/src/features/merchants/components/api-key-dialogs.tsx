import type { ApiKeyResource, Mode, ProjectResource } from '@expe/contracts';
import { useMutation } from '@tanstack/react-query';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { Modal } from '../../../components/modal';
import { SecretRevealDialog } from '../../../components/secret-reveal-dialog';
import { useToast } from '../../../components/toast';
import { createApiKey, revokeApiKey, rollApiKey } from '../api';
import { ApiKeyForm } from './api-key-form';
import type { DeveloperDialog } from './developer-dialog';

type KeyOf = { project: ProjectResource; key: ApiKeyResource };

/** Create, revoke and roll an API key; a new secret is shown once, to who asked for it. */
export function ApiKeyDialogs({
  dialog,
  mode,
  setDialog,
  onChanged,
}: {
  dialog: DeveloperDialog;
  mode: Mode;
  setDialog: (dialog: DeveloperDialog) => void;
  onChanged: () => Promise<unknown>;
}) {
  const toast = useToast();
  const close = () => setDialog(null);
  // The console itself acts with the person's session (lib/merchant-keys.ts), keeping no secret.
  const showSecret = (key: ApiKeyResource) => {
    setDialog({ kind: 'secret', key });
    void onChanged();
  };
  const revoke = useMutation({
    mutationFn: ({ project, key }: KeyOf) => revokeApiKey(project.id, key.id),
    onSuccess: (key) => {
      toast.success(`Revoked ${key.name}`);
      close();
      void onChanged();
    },
    onError: toast.error,
  });
  const roll = useMutation({
    mutationFn: ({ project, key }: KeyOf) => rollApiKey(project.id, key.id, 24 * 3600),
    onSuccess: showSecret,
    onError: toast.error,
  });
  const acting = dialog?.kind === 'revoke' || dialog?.kind === 'roll' ? dialog : null;
  return (
    <>
      <Modal open={dialog?.kind === 'create-key'} title="Create API key" onClose={close}>
        {dialog?.kind === 'create-key' && (
          <ApiKeyForm
            mode={mode}
            onSubmit={async (input) => {
              showSecret(await createApiKey(dialog.project.id, input.name, input.mode));
            }}
          />
        )}
      </Modal>
      <ConfirmDialog
        open={dialog?.kind === 'revoke'}
        title={`Revoke key “${acting?.key.name ?? ''}”?`}
        onClose={close}
        confirmLabel="Revoke key"
        busy={revoke.isPending}
        onConfirm={() => acting && revoke.mutate(acting)}
      >
        Requests with <code className="font-mono">{acting?.key.secret_masked}</code> fail from now
        on.
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog?.kind === 'roll'}
        title={`Roll key “${acting?.key.name ?? ''}”?`}
        onClose={close}
        tone="primary"
        confirmLabel="Roll key"
        busy={roll.isPending}
        onConfirm={() => acting && roll.mutate(acting)}
      >
        A new secret replaces <code className="font-mono">{acting?.key.secret_masked}</code> (
        {acting?.key.mode} mode, project {acting?.project.name}). The current one keeps working for
        24 hours so you can deploy the new one.
      </ConfirmDialog>
      <SecretRevealDialog
        open={dialog?.kind === 'secret'}
        title="Your new secret key"
        secret={dialog?.kind === 'secret' ? dialog.key.secret : null}
        onClose={close}
      >
        {dialog?.kind === 'secret' && (
          <p>
            Use it in your server&rsquo;s requests ({dialog.key.mode} mode). Publishable key:{' '}
            <code className="font-mono">{dialog.key.publishable}</code>
          </p>
        )}
      </SecretRevealDialog>
    </>
  );
}
