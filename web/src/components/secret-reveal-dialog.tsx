import type { ReactNode } from 'react';
import { Modal } from './modal';
import { Button, Secret } from './ui';

/**
 * A new secret (an API key's, an endpoint's signing secret), shown once to who asked for it: what
 * it is for, the value with a copy button, and Done. Nothing keeps it after the dialog closes.
 */
export function SecretRevealDialog({
  open,
  title,
  secret,
  children,
  onClose,
}: {
  open: boolean;
  title: string;
  secret: string | null | undefined;
  /** What the secret is for; "shown only once" is said here, for every secret. */
  children: ReactNode;
  onClose: () => void;
}) {
  return (
    <Modal open={open && Boolean(secret)} title={title} onClose={onClose}>
      {open && secret && (
        <div className="space-y-4">
          <div className="space-y-2 text-sm text-slate-600">
            {children}
            <p className="font-medium text-slate-700">Copy it now: it is shown only once.</p>
          </div>
          <Secret value={secret} />
          <div className="flex justify-end">
            <Button onClick={onClose}>Done</Button>
          </div>
        </div>
      )}
    </Modal>
  );
}
