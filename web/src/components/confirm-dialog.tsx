import { useCallback, useRef, useState, type ReactNode } from 'react';
import { Modal } from './modal';
import { Button } from './ui';

/**
 * A question before an action that cannot be taken back: what happens, a way out, and the
 * action. The title names what is at stake (the amount, the key, the endpoint), so a click
 * that meant something else is caught here. The action stays busy while it runs.
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
          <div className="mb-4 text-sm text-slate-600">{children}</div>
          <div className="flex flex-wrap justify-end gap-2">
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

/** What `useConfirm` asks: the same parts as `ConfirmDialog`'s. */
export interface ConfirmRequest {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  tone?: 'danger' | 'primary';
}

/**
 * `ConfirmDialog` for a form that validates first and then asks: `if (await confirm({...}))`
 * goes on only when the person confirmed; closing or cancelling resolves false. Render
 * `dialog` somewhere in the form's tree.
 */
export function useConfirm(): {
  confirm: (request: ConfirmRequest) => Promise<boolean>;
  dialog: ReactNode;
} {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const answer = useRef<((confirmed: boolean) => void) | null>(null);
  const settle = useCallback((confirmed: boolean) => {
    answer.current?.(confirmed);
    answer.current = null;
    setRequest(null);
  }, []);
  const confirm = useCallback((next: ConfirmRequest) => {
    answer.current?.(false);
    setRequest(next);
    return new Promise<boolean>((resolve) => {
      answer.current = resolve;
    });
  }, []);
  const dialog = (
    <ConfirmDialog
      open={request !== null}
      title={request?.title ?? ''}
      onClose={() => settle(false)}
      confirmLabel={request?.confirmLabel ?? ''}
      cancelLabel={request?.cancelLabel}
      tone={request?.tone}
      onConfirm={() => settle(true)}
    >
      {request?.body}
    </ConfirmDialog>
  );
  return { confirm, dialog };
}
