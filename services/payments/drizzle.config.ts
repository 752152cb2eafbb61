import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  // Every `*schema.ts` of src/db: payments splits its tables over several files.
  schema: './src/db/*schema.ts',
  out: './migrations',
  schemaFilter: ['payments'],
});
