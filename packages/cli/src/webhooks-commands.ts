import { Option, type Command } from 'commander';
import { UsageError } from './config.js';
import { createOutput, table } from './output.js';
import { ReportedFailure } from './reported-failure.js';
import { checkReceiver, newWebhookSecret, type WebhookFormat } from './webhooks-check.js';

function httpUrl(flag: string) {
  return (value: string) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new UsageError(`${flag} must be an http(s) URL (got "${value}")`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(`${flag} must be an http(s) URL (got "${value}")`);
    }
    return url.href;
  };
}

/** `expe webhooks check`: grades a webhook receiver the way Expe's sender would exercise it. */
export function registerWebhooksCommands(program: Command): void {
  const webhooks = program.command('webhooks').description('your webhook receiver');
  webhooks
    .command('check')
    .description(
      'send a receiver signed, forged, stale, repeated, large, unknown and out-of-order deliveries and grade its answers',
    )
    .requiredOption(
      '--forward-to <url>',
      'the receiver, e.g. http://localhost:3000/webhooks',
      httpUrl('--forward-to'),
    )
    .addOption(
      new Option('--format <format>', 'expe (Expe-Signature) or stripe (Stripe-Signature)')
        .choices(['expe', 'stripe'])
        .default('expe'),
    )
    .option(
      '--secret <whsec>',
      'the signing secret the receiver verifies with (or EXPE_WEBHOOK_SECRET); without one, a new one is printed',
    )
    .option(
      '--processed-url <url>',
      'GET URL?event=evt_… answering {"processed": n}: lets the check see a duplicate processed once',
      httpUrl('--processed-url'),
    )
    .action(
      async (
        options: {
          forwardTo: string;
          format: WebhookFormat;
          secret?: string;
          processedUrl?: string;
        },
        command: Command,
      ) => {
        const output = createOutput(Boolean(command.optsWithGlobals<{ json?: boolean }>().json));
        const secret = options.secret ?? (process.env.EXPE_WEBHOOK_SECRET || undefined);
        if (!secret) {
          const fresh = newWebhookSecret();
          output.result({ object: 'webhook_secret', secret: fresh }, () =>
            [
              `Configure your receiver with this signing secret, then run again with --secret:`,
              `EXPE_WEBHOOK_SECRET=${fresh}`,
            ].join('\n'),
          );
          throw new ReportedFailure('no --secret: printed a new one, checked nothing', 2);
        }
        if (!secret.startsWith('whsec_')) throw new UsageError('--secret must be a whsec_… secret');
        const report = await checkReceiver({
          url: options.forwardTo,
          secret,
          format: options.format,
          processedUrl: options.processedUrl,
        });
        output.result(report, () => {
          const rows = [
            ['case', 'expected', 'got', 'result', 'note'],
            ...report.cases.map((c) => [
              c.case,
              c.expected,
              c.statuses.map((s) => s ?? 'no answer').join(', '),
              c.passed ? 'pass' : 'FAIL',
              c.error ?? c.note ?? '',
            ]),
          ];
          const failed = report.cases.filter((c) => !c.passed).map((c) => c.case);
          return [
            `${report.url} (${report.format} format)`,
            table(rows),
            failed.length === 0
              ? `All ${report.cases.length} cases pass.`
              : `${failed.length} of ${report.cases.length} cases fail: ${failed.join(', ')}.`,
          ].join('\n');
        });
        if (!report.passed) throw new ReportedFailure('the receiver failed the check');
      },
    );
}
