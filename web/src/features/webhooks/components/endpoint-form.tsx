import { useState, type FormEvent } from 'react';
import { Button, FormError, TextField } from '../../../components/ui';
import { ApiError } from '../../../lib/api';
import { paramKey, validate, type FieldErrors } from '../../../lib/form';
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
  const [url, setUrl] = useState(initial?.url ?? '');
  const [all, setAll] = useState(initial ? initial.enabled_events.includes('*') : true);
  const [events, setEvents] = useState<string[]>(
    initial?.enabled_events.filter((event) => event !== '*') ?? [],
  );
  const [description, setDescription] = useState(initial?.description ?? '');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = validate(createWebhookEndpointInputSchema, {
      url,
      enabled_events: all ? ['*'] : events,
      ...(description.trim() ? { description } : {}),
    });
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    setBusy(true);
    try {
      await onSubmit(result.data);
    } catch (error) {
      setErrors(
        error instanceof ApiError && error.param
          ? { [paramKey(error.param)]: error.message }
          : { form: error instanceof Error ? error.message : 'That did not work' },
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="space-y-4">
      <TextField
        label="Endpoint URL"
        name="url"
        type="url"
        placeholder="https://shop.example/webhooks/expe"
        value={url}
        onChange={(event) => setUrl(event.target.value)}
        error={errors.url}
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
      <TextField
        label="Description (optional)"
        name="description"
        value={description}
        maxLength={500}
        onChange={(event) => setDescription(event.target.value)}
        error={errors.description}
      />
      <FormError message={errors.form} />
      <div className="flex justify-end">
        <Button type="submit" busy={busy}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
