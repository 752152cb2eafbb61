import { useEffect, useState, type FormEvent } from 'react';
import { Button, VpaField } from '../../../components/ui';
import { vpaError } from '../../../lib/vpa';
import { loadCheckoutSchemas } from '../load-schemas';
import { sandboxVpas } from '../../payments';

export function UpiForm({
  payLabel,
  onSubmit,
}: {
  payLabel: string;
  onSubmit: (vpa: string) => Promise<unknown>;
}) {
  const [vpa, setVpa] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => void loadCheckoutSchemas(), []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { vpaSchema } = await loadCheckoutSchemas();
    const result = vpaSchema.safeParse(vpa);
    if (!result.success) return setError(vpaError(vpa));
    setError(undefined);
    setBusy(true);
    try {
      await onSubmit(result.data);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="space-y-4">
      <VpaField
        name="vpa"
        placeholder="success@expe"
        value={vpa}
        onChange={(event) => setVpa(event.target.value)}
        error={error}
      />
      <Button type="submit" busy={busy} className="w-full py-2.5">
        {payLabel}
      </Button>
      <div className="rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200">
        <p className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500">
          Sandbox UPI addresses
        </p>
        <ul className="space-y-1">
          {sandboxVpas.map((item) => (
            <li
              key={item.vpa}
              className="flex flex-wrap items-center justify-between gap-2 text-sm"
            >
              <button
                type="button"
                className="font-mono text-brand-700 hover:underline"
                aria-label={`Use ${item.vpa}: ${item.outcome}`}
                onClick={() => setVpa(item.vpa)}
              >
                {item.vpa}
              </button>
              <span className="text-xs text-slate-500">{item.outcome}</span>
            </li>
          ))}
        </ul>
      </div>
    </form>
  );
}
