import {
  createExpeClient,
  ExpeApiError,
  type Event,
  type ExpeClient,
  type Payment,
  type WebhookDelivery,
} from '@expe/sdk';
import { Command, CommanderError, Option } from 'commander';
import {
  configPath,
  defaultApiBase,
  readConfig,
  resolveCredentials,
  UsageError,
  writeConfig,
  type Credentials,
} from './config.js';
import { registerFixturesCommands } from './fixtures-commands.js';
import { listen } from './listen.js';
import { tailLogs } from './logs.js';
import { ReportedFailure } from './reported-failure.js';
import { registerSandboxCommands } from './sandbox-commands.js';
import { createOutput, formatAmount, formatTime, table, type Output } from './output.js';
import { trigger, triggerableEvents } from './trigger.js';
import { registerWebhooksCommands } from './webhooks-commands.js';

interface GlobalOptions {
  json?: boolean;
  apiKey?: string;
  apiBase?: string;
}

interface Context {
  output: Output;
  credentials: () => Promise<Credentials>;
  client: () => Promise<ExpeClient>;
}

function contextOf(command: Command): Context {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const output = createOutput(Boolean(globals.json));
  const credentials = () => resolveCredentials(globals);
  return {
    output,
    credentials,
    client: async () => {
      const { apiKey, apiBase } = await credentials();
      return createExpeClient({ apiKey, baseUrl: apiBase });
    },
  };
}

const positiveInt = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) <= 0) {
    throw new UsageError(`${name} must be a positive integer (minor units, e.g. 49900 for ₹499)`);
  }
  return Number(value);
};

const paymentRow = (p: Payment) => [
  p.id,
  p.status,
  formatAmount(p.amount, p.currency),
  p.method ?? '-',
  formatTime(p.created),
  p.description ?? '',
];

const eventRow = (e: Event) => [
  e.id,
  e.type,
  typeof e.data.object.id === 'string' ? e.data.object.id : '',
  formatTime(e.created),
];

function describePayment(p: Payment): string {
  const lines = [
    `${p.id}  ${p.status}  ${formatAmount(p.amount, p.currency)}${p.livemode ? '' : '  (test)'}`,
    p.description ? `description:   ${p.description}` : '',
    `checkout_url:  ${p.checkout_url}`,
    p.upi_uri ? `upi_uri:       ${p.upi_uri}` : '',
    p.last_payment_error
      ? `last error:    ${p.last_payment_error.code}: ${p.last_payment_error.message}`
      : '',
    `created:       ${formatTime(p.created)}`,
  ];
  return lines.filter(Boolean).join('\n');
}

/** The `expe` command tree. `signal` stops long-running commands (listen). */
export function buildProgram(signal: AbortSignal): Command {
  const program = new Command('expe')
    .description('The Expe command line: webhooks on localhost, triggers, payments and events.')
    .version('0.1.0')
    .option('--json', 'print machine-readable JSON')
    .option('--api-key <key>', 'secret key to use instead of the saved one (or EXPE_API_KEY)')
    .option('--api-base <url>', `gateway URL (or EXPE_API_BASE; default ${defaultApiBase})`)
    .showHelpAfterError()
    .exitOverride();

  program
    .command('login')
    .description(`check a secret key (--api-key, --api-base) and save it to ${configPath()}`)
    .action(async (_options: unknown, command: Command) => {
      const { output } = contextOf(command);
      // --api-key and --api-base are the program's global options, read here as login's own.
      const options = command.optsWithGlobals<GlobalOptions>();
      const saved = await readConfig();
      const apiBase =
        options.apiBase ?? process.env.EXPE_API_BASE ?? saved.api_base ?? defaultApiBase;
      if (!options.apiKey) throw new UsageError('expe login needs --api-key sk_test_…');
      if (!/^sk_(test|live)_/.test(options.apiKey)) {
        throw new UsageError('--api-key must be a secret key (sk_test_… or sk_live_…)');
      }
      const account = await createExpeClient({
        apiKey: options.apiKey,
        baseUrl: apiBase,
      }).account.retrieve();
      await writeConfig({ ...saved, api_key: options.apiKey, api_base: apiBase });
      output.result({ ...account, api_base: apiBase, config_path: configPath() }, () =>
        [
          `Logged in to ${apiBase}: project ${account.project_id} of merchant ${account.merchant_id}, ${account.mode} mode (key ${account.key_id}).`,
          `Saved to ${configPath()}.`,
        ].join('\n'),
      );
    });

  program
    .command('listen')
    .description(
      "forward your project's events (the key's mode) to a local URL, signed with a stable whsec_ secret",
    )
    .option('--forward-to <url>', 'where to POST each event, e.g. http://localhost:3000/webhooks')
    .option('--events <types>', 'comma-separated event types (default: all)', (value: string) =>
      value
        .split(',')
        .map((type) => type.trim())
        .filter(Boolean),
    )
    .option('--print-secret', 'print the signing secret and exit')
    .option('--env-file <file>', 'write the secret to this file as EXPE_WEBHOOK_SECRET')
    .action(
      async (
        options: { forwardTo?: string; events?: string[]; printSecret?: boolean; envFile?: string },
        command: Command,
      ) => {
        const context = contextOf(command);
        await listen(
          await context.credentials(),
          await context.client(),
          options,
          context.output,
          signal,
        );
      },
    );

  program
    .command('trigger')
    .description('create the real objects that make an event fire')
    .argument('<event>', `one of: ${triggerableEvents.join(', ')}`)
    .action(async (event: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const result = await trigger(event, await context.client(), await context.credentials());
      context.output.result(result, () =>
        [
          `Triggered ${result.event}:`,
          ...result.objects.map((o) => `  ${o.object} ${o.id}${o.status ? ` (${o.status})` : ''}`),
          ...(result.note ? [result.note] : []),
        ].join('\n'),
      );
    });

  const events = program.command('events').description('the event log');
  events
    .command('list')
    .description('recent events, newest first')
    .option('--type <type>', 'only this event type')
    .option('--limit <n>', 'how many (1-100)', positiveInt('--limit'), 10)
    .option('--starting-after <id>', 'page after this event id')
    .action(
      async (
        options: { type?: string; limit: number; startingAfter?: string },
        command: Command,
      ) => {
        const context = contextOf(command);
        const page = await (
          await context.client()
        ).events.list({
          type: options.type,
          limit: options.limit,
          starting_after: options.startingAfter,
        });
        context.output.result(page, () =>
          page.data.length === 0 ? 'No events.' : table(page.data.map(eventRow)),
        );
      },
    );
  events
    .command('resend')
    .description('deliver an event again to your webhook endpoints')
    .argument('<id>', 'event id (evt_…)')
    .option('--webhook-endpoint <id>', 'only to this endpoint (default: every endpoint it matches)')
    .action(async (id: string, options: { webhookEndpoint?: string }, command: Command) => {
      const context = contextOf(command);
      const client = await context.client();
      const event = await client.events.retrieve(id);
      let endpoints = options.webhookEndpoint ? [options.webhookEndpoint] : [];
      if (!options.webhookEndpoint) {
        const all = await client.webhookEndpoints.list({ limit: 100 });
        endpoints = all.data
          .filter(
            (endpoint) =>
              endpoint.status === 'enabled' &&
              endpoint.enabled_events.some((t) => t === '*' || t === event.type),
          )
          .map((endpoint) => endpoint.id);
      }
      if (endpoints.length === 0) {
        throw new UsageError(
          `No enabled webhook endpoint listens to ${event.type}; create one or pass --webhook-endpoint.`,
          1,
        );
      }
      const deliveries: WebhookDelivery[] = [];
      for (const endpoint of endpoints) {
        deliveries.push(await client.webhookEndpoints.redeliver(endpoint, { event: id }));
      }
      context.output.result({ object: 'list', data: deliveries, has_more: false }, () =>
        deliveries.map((d) => `Resent ${id} to ${d.endpoint} as delivery ${d.id}`).join('\n'),
      );
    });

  const payments = program.command('payments').description('create and look up payments');
  payments
    .command('create')
    .description('create a payment; prints its checkout_url')
    .requiredOption('--amount <n>', 'amount in minor units (paise)', positiveInt('--amount'))
    .option('--currency <code>', 'currency', 'inr')
    .option('--description <text>', 'description shown at checkout')
    .option('--customer-email <email>', "the payer's email")
    .option('--return-url <url>', 'where checkout returns to')
    .option(
      '--metadata <key=value>',
      'metadata entry (repeatable)',
      (value: string, all: Record<string, string>) => {
        const [key, ...rest] = value.split('=');
        if (!key || rest.length === 0) throw new UsageError('--metadata takes key=value');
        return { ...all, [key]: rest.join('=') };
      },
      {} as Record<string, string>,
    )
    .option('--idempotency-key <key>', 'make the call safe to repeat')
    .action(
      async (
        options: {
          amount: number;
          currency: string;
          description?: string;
          customerEmail?: string;
          returnUrl?: string;
          metadata: Record<string, string>;
          idempotencyKey?: string;
        },
        command: Command,
      ) => {
        const context = contextOf(command);
        const payment = await (
          await context.client()
        ).payments.create(
          {
            amount: options.amount,
            currency: options.currency,
            description: options.description,
            customer_email: options.customerEmail,
            return_url: options.returnUrl,
            ...(Object.keys(options.metadata).length > 0 ? { metadata: options.metadata } : {}),
          },
          options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {},
        );
        context.output.result(payment, () => describePayment(payment));
      },
    );
  payments
    .command('get')
    .description('one payment')
    .argument('<id>', 'payment id (pay_…)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const payment = await (await context.client()).payments.retrieve(id);
      context.output.result(payment, () => describePayment(payment));
    });
  payments
    .command('list')
    .description('recent payments, newest first')
    .addOption(
      new Option('--status <status>', 'only this status').choices([
        'requires_payment_method',
        'processing',
        'succeeded',
        'canceled',
        'expired',
      ]),
    )
    .option('--limit <n>', 'how many (1-100)', positiveInt('--limit'), 10)
    .option('--starting-after <id>', 'page after this payment id')
    .action(
      async (
        options: { status?: Payment['status']; limit: number; startingAfter?: string },
        command: Command,
      ) => {
        const context = contextOf(command);
        const page = await (
          await context.client()
        ).payments.list({
          status: options.status,
          limit: options.limit,
          starting_after: options.startingAfter,
        });
        context.output.result(page, () =>
          page.data.length === 0 ? 'No payments.' : table(page.data.map(paymentRow)),
        );
      },
    );

  const logs = program.command('logs').description("the project's API request log");
  logs
    .command('tail')
    .description(
      'print API requests made with your keys as they happen (method, path, status, latency)',
    )
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(command);
      await tailLogs(await context.client(), context.output, signal);
    });

  registerSandboxCommands(program);
  registerFixturesCommands(program);
  registerWebhooksCommands(program);

  return program;
}

/** Runs the CLI and returns its exit code: 0 ok, 1 API or runtime error, 2 usage error. */
export async function runCli(argv: string[], signal: AbortSignal): Promise<number> {
  const program = buildProgram(signal);
  const json = argv.includes('--json');
  const output = createOutput(json);
  const fail = (code: number, error: Record<string, unknown>, human: string) => {
    if (json) process.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
    else process.stderr.write(`Error: ${human}\n`);
    return code;
  };
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0; a usage error is 2.
      return error.exitCode === 0 ? 0 : 2;
    }
    // The command printed what failed itself; only the exit code is left to give.
    if (error instanceof ReportedFailure) return error.exitCode;
    if (error instanceof UsageError) {
      return fail(error.exitCode, { type: 'cli_error', message: error.message }, error.message);
    }
    if (error instanceof ExpeApiError) {
      const detail = [error.code, error.param && `param ${error.param}`, error.requestId]
        .filter(Boolean)
        .join(', ');
      return fail(
        1,
        {
          type: error.type,
          code: error.code,
          message: error.message,
          ...(error.param ? { param: error.param } : {}),
          ...(error.requestId ? { request_id: error.requestId } : {}),
          status: error.status,
        },
        `${error.message} (${detail})`,
      );
    }
    if (process.env.EXPE_DEBUG) output.info(String((error as Error).stack ?? error));
    return fail(
      1,
      { type: 'cli_error', message: (error as Error).message },
      (error as Error).message,
    );
  }
}
