// `npm run reconcile`: checks every ledger invariant of the payments database, prints the report
// as JSON, and exits 0 when the ledger is clean, 1 when a mismatch was found, 2 when it could not
// run (bad configuration, database unreachable).
import { z } from 'zod';
import { ConfigError, loadConfig, openDatabase } from '@expe/server-kit';
import { reconcileLedger } from './reconciliation/domain/reconcile-ledger.js';

const cliConfigSchema = z.object({
  DATABASE_URL: z
    .string({ error: 'is required: the PostgreSQL database whose payments ledger to check' })
    .url()
    .describe('PostgreSQL connection string of the database holding the payments schema'),
});

async function main(): Promise<number> {
  const config = loadConfig(cliConfigSchema);
  const database = openDatabase({ url: config.DATABASE_URL, applicationName: 'expe-reconcile' });
  try {
    const report = await reconcileLedger(database.db);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) {
        process.stderr.write(`reconcile: config ${problem.variable}: ${problem.message}\n`);
      }
    } else {
      process.stderr.write(
        `reconcile: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
    process.exitCode = 2;
  },
);
