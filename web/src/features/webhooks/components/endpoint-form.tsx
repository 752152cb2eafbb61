import { useState } from 'react';
import { Button, FormError, TextField } from '../../../components/ui';
import { useForm, validate } from '../../../lib/form';
import {
  createWebhookEndpointInputSchema,
  webhookEventTypes,
  type CreateWebhookEndpointInput,
} from '@expe/contracts';

/** Create or edit a webhook endpoint: URL, "every event" or a chosen list, description. */
export function EndpointForm({
  initial,
  submitLabel,
  onSubmit,
}: {
  initial?: { url: string; enabled_events: string[]; description: string | null };
  submitLabel: string;
  onSubmit: (input: CreateWebhookEndpointInput) => Promise<unknown>;
}) {
  const form = useForm({ url: initial?.url ?? '', description: initial?.description ?? '' });
  const { url, description } = form.values;
  const [all, setAll] = useState(initial ? initial.enabled_events.includes('*') : true);
  const [events, setEvents] = useState<string[]>(
    initial?.enabled_events.filter((event) => event !== '*') ?? [],
  );
  const { errors } = form;

  const submit = form.handleSubmit(
    () =>
      validate(createWebhookEndpointInputSchema, {
        url,
        enabled_events: all ? ['*'] : events,
        ...(description.trim() ? { description } : {}),
      }),
    onSubmit,
  );

  return (
    <form noValidate onSubmit={submit} className="space-y-4">
      <TextField
        label="Endpoint URL"
        type="url"
        placeholder="https://shop.example/webhooks/expe"
        {...form.field('url')}
        hint="Test mode accepts http://127.0.0.1 URLs; live mode needs public https."
      />
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-700">Events to send</legend>
        <label className="mb-2 flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            name="all-events"
            checked={all}
            onChange={(event) => setAll(event.target.checked)}
            className="h-4 w-4 rounded border-slate-300 text-brand-600"
          />
          Every event (<code className="font-mono">*</code>)
        </label>
        {!all && (
          <div className="grid grid-cols-1 gap-1 sm:grid-cols-2">
            {webhookEventTypes.map((type) => (
              <label key={type} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  name="enabled_events"
                  value={type}
                  checked={events.includes(type)}
                  onChange={(event) =>
                    setEvents(
                      event.target.checked
                        ? [...events, type]
                        : events.filter((item) => item !== type),
                    )
                  }
                  className="h-4 w-4 rounded border-slate-300 text-brand-600"
                />
                <span className="font-mono text-xs">{type}</span>
              </label>
            ))}
          </div>
        )}
        {errors.enabled_events && (
          <p role="alert" className="mt-1 text-sm text-rose-600">
            {errors.enabled_events}
          </p>
        )}
      </fieldset>
      <TextField label="Description (optional)" maxLength={500} {...form.field('description')} />
      <FormError message={errors.form} />
      <div className="flex justify-end">
        <Button type="submit" busy={form.busy}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
