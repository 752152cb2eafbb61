import type { ReactNode } from 'react';
import { Modal } from './modal';
import { Button } from './ui';

/**
 * A question before an action that cannot be taken back: what happens, a way out, and the
 * action. The action stays busy while it runs.
 */
export function ConfirmDialog({
  open,
  title,
  onClose,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  tone = 'danger',
  busy = false,
  onConfirm,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  tone?: 'danger' | 'primary';
  busy?: boolean;
  onConfirm: () => void;
}) {
  return (
    <Modal open={open} title={title} onClose={onClose}>
      {open && (
        <>
          <p className="mb-4 text-sm text-slate-600">{children}</p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={onClose}>
              {cancelLabel}
            </Button>
            <Button variant={tone} busy={busy} onClick={onConfirm}>
              {confirmLabel}
            </Button>
          </div>
        </>
      )}
    </Modal>
  );
}
