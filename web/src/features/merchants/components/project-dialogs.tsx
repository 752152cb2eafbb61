import type { ProjectResource } from '@expe/contracts';
import { useMutation } from '@tanstack/react-query';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { Modal } from '../../../components/modal';
import { useToast } from '../../../components/toast';
import { merchantKeys } from '../../../lib/merchant-keys';
import { deleteProject, renameProject } from '../api';
import type { DeveloperDialog } from './developer-dialog';
import { NameForm } from './name-form';

/** Rename a project, or delete it (which revokes its keys). */
export function ProjectDialogs({
  dialog,
  selectedId,
  onClose,
  onChanged,
}: {
  dialog: DeveloperDialog;
  selectedId: string | null;
  onClose: () => void;
  onChanged: () => Promise<unknown>;
}) {
  const toast = useToast();
  const remove = useMutation({
    mutationFn: (project: ProjectResource) => deleteProject(project.id),
    onSuccess: (_result, project) => {
      toast.success(`Deleted ${project.name}`);
      if (selectedId === project.id) merchantKeys.setProject(null);
      onClose();
      void onChanged();
    },
    onError: toast.error,
  });
  return (
    <>
      <Modal open={dialog?.kind === 'rename'} title="Rename project" onClose={onClose}>
        {dialog?.kind === 'rename' && (
          <NameForm
            label="Project name"
            initial={dialog.project.name}
            submitLabel="Save"
            onSubmit={async (name) => {
              await renameProject(dialog.project.id, name);
              toast.success('Project renamed');
              onClose();
              await onChanged();
            }}
          />
        )}
      </Modal>
      <ConfirmDialog
        open={dialog?.kind === 'delete'}
        title="Delete project?"
        onClose={onClose}
        cancelLabel="Keep it"
        confirmLabel="Delete project"
        busy={remove.isPending}
        onConfirm={() => dialog?.kind === 'delete' && remove.mutate(dialog.project)}
      >
        {dialog?.kind === 'delete' && (
          <>
            <strong>{dialog.project.name}</strong> is deleted and all of its API keys are revoked at
            once. This cannot be undone.
          </>
        )}
      </ConfirmDialog>
    </>
  );
}
