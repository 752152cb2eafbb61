#!/usr/bin/env -S node --
// (`--` ends node's own options: Node 20 would otherwise take `expe listen --env-file F` as its own.)
// The `expe` command. Inside the repository it runs the TypeScript source through tsx, with the
// workspace's `@expe/source` condition so that @expe/sdk resolves to its source as well: `npx expe`
// works right after `npm ci`, with no build, and never runs a stale build. The packed package
// ships no source, only the one-file bundle its `prepack` makes (scripts/bundle.ts), and runs that.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const source = new URL('../src/main.ts', import.meta.url);
if (existsSync(source)) {
  register(
    'data:text/javascript,export const resolve = (specifier, context, next) => ' +
      'next(specifier, { ...context, conditions: [...context.conditions, "@expe/source"] });',
  );
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  await import(source.href);
} else {
  await import('../dist/expe.js');
}
