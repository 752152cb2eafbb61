import { updateDisputeInputSchema, type UpdateDisputeInput } from '@expe/contracts';
import { useState, type FormEvent } from 'react';
import { useConfirm } from '../../../components/confirm-dialog';
import { Button, FormError, TextField } from '../../../components/ui';
import { apiFieldErrors, validate, type FieldErrors } from '../../../lib/form';

/**
 * Evidence for one open dispute. In the sandbox the text decides: `winning_evidence` wins,
 * `losing_evidence` loses, anything else is kept until the deadline. Accepting loses it, so
 * it asks first, naming the `disputed` amount.
 */
export function EvidenceForm({
  disputeId,
  disputed,
  onSubmit,
  onAccept,
}: {
  disputeId: string;
  /** The disputed amount, formatted. */
  disputed: string;
  onSubmit: (input: UpdateDisputeInput) => Promise<unknown>;
  onAccept: () => Promise<unknown>;
}) {
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState<'submit' | 'accept' | null>(null);
  const { confirm, dialog } = useConfirm();
  const accept = async () => {
    const confirmed = await confirm({
      title: `Accept dispute ${disputeId} and lose ${disputed}?`,
      body: `The disputed ${disputed} stays with the customer, and no evidence can be submitted afterwards.`,
      confirmLabel: 'Accept dispute',
      cancelLabel: 'Keep it open',
    });
    if (confirmed) await run('accept', onAccept);
  };
  const run = async (kind: 'submit' | 'accept', action: () => Promise<unknown>) => {
    setBusy(kind);
    try {
      await action();
      setText('');
      setErrors({});
    } catch (error) {
      setErrors(apiFieldErrors(error));
    } finally {
      setBusy(null);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = validate(updateDisputeInputSchema, { evidence: { uncategorized_text: text } });
    if (!result.ok) {
      return setErrors({
        'evidence.uncategorized_text':
          'Write your evidence (sandbox: winning_evidence or losing_evidence decide it)',
      });
    }
    void run('submit', () => onSubmit(result.data));
  };
  return (
    <>
      <form
        noValidate
        onSubmit={submit}
        className="flex flex-wrap items-end gap-2"
        aria-label={`Evidence for ${disputeId}`}
      >
        <div className="min-w-[14rem] flex-1">
          <TextField
            label="Evidence"
            name={`evidence-${disputeId}`}
            placeholder="winning_evidence"
            value={text}
            onChange={(event) => setText(event.target.value)}
            error={errors['evidence.uncategorized_text']}
          />
        </div>
        <Button type="submit" busy={busy === 'submit'}>
          Submit evidence
        </Button>
        <Button variant="secondary" busy={busy === 'accept'} onClick={() => void accept()}>
          Accept dispute
        </Button>
        <div className="basis-full">
          <FormError message={errors.form} />
        </div>
      </form>
      {dialog}
    </>
  );
}
