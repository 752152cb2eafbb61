import { useEffect } from 'react';
import { Button, VpaField } from '../../../components/ui';
import { useForm, type Checked } from '../../../lib/form';
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
  const form = useForm({ vpa: '' });
  const { vpa } = form.values;
  useEffect(() => void loadCheckoutSchemas(), []);
  const submit = form.handleSubmit(async (): Promise<Checked<string>> => {
    const { vpaSchema } = await loadCheckoutSchemas();
    const result = vpaSchema.safeParse(vpa);
    return result.success
      ? { ok: true, data: result.data }
      : { ok: false, errors: { vpa: vpaError(vpa) } };
  }, onSubmit);
  return (
    <form noValidate onSubmit={submit} className="space-y-4">
      <VpaField placeholder="success@expe" {...form.field('vpa')} />
      <Button type="submit" busy={form.busy} className="w-full py-2.5">
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
                onClick={() => form.setValues({ vpa: item.vpa })}
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
