import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

// Boundaries the linter keeps (ARCHITECTURE.md "Boundaries", issue 12). Each block names the
// files it governs; test/lint-boundaries.test.ts lints fixtures against exactly these blocks.
// ESLint does not merge the options of one rule across blocks, so every block that matches a
// file states all of that file's restricted imports. Tests may start sibling services for real
// (as platform/, the composition root, composes them): the service rule governs src/ only.

const services = ['gateway', 'auth', 'merchants', 'payments', 'webhooks'];

/** Packages that only run on a server: never in the browser bundle. */
export const serverOnlyPackages = [
  '@expe/server-kit',
  '@expe/testing',
  '@expe/platform',
  '@expe/kube-harness',
  '@expe/stripe-compat',
  'pg',
  'express',
  'ioredis',
  'bullmq',
  'drizzle-orm',
  'pino',
  'jsonwebtoken',
];

function otherServices(service) {
  const others = services.filter((name) => name !== service).join('|');
  const message =
    'A service never imports another service: share code through packages/, talk over HTTP (service client) or events.';
  return [
    { regex: `^@expe/(${others})(/|$)`, message },
    { regex: `^(\\.\\./)+(services/)?(${others})/`, message },
  ];
}

const domainRestrictions = {
  paths: [
    {
      name: 'express',
      message: 'domain/ never imports Express: routes (http/) parse and render, use cases do not.',
    },
  ],
  patterns: [
    {
      regex: '^\\.\\.?/(.*/)?http(/|$)',
      message:
        'domain/ never imports http/: the route calls the use case, not the other way round.',
    },
    { group: ['express/*'], message: 'domain/ never imports Express.' },
  ],
};

/**
 * Services held to the rest of ARCHITECTURE.md's written rules (issue 25, item 7). The others
 * still break one or more (merchants' domain imports drizzle; auth's and merchants' internal
 * routes read their repositories; auth opens a transaction by hand), and join as they are fixed.
 */
export const strictLayerServices = ['auth', 'merchants', 'payments', 'webhooks'];

/** domain/ builds no SQL: queries are the repositories' (db/), the use case calls them. */
const drizzleRestrictions = {
  paths: [
    {
      name: 'drizzle-orm',
      message: 'domain/ never imports drizzle: write the query in a repository (db/) and call it.',
    },
  ],
  patterns: [{ group: ['drizzle-orm/*'], message: 'domain/ never imports drizzle.' }],
};

const httpRestrictions = [
  {
    regex: '^\\.\\.?/(.*/)?db(/|$)',
    message:
      'http/ never imports db/: a route parses, calls a use case (domain/) and renders; the use case reads the repository.',
  },
];

const syntaxRestrictions = [
  {
    selector: "CallExpression[callee.type='MemberExpression'][callee.property.name='transaction']",
    message:
      "Open a transaction with the kit's withTransaction (it reruns on a serialization failure or deadlock, and is a savepoint inside a transaction), never .transaction( directly.",
  },
  {
    selector: "NewExpression[callee.name='AppError'][arguments.1.type='Literal']",
    message:
      "An error's HTTP status comes from the error catalog (packages/contracts/src/errors.ts): AppError.of(code, message, { param }).",
  },
  {
    selector: "CallExpression[callee.type='Super'][arguments.1.type='Literal']",
    message:
      "An error's HTTP status comes from the error catalog (packages/contracts/src/errors.ts): pass errorCodes[code].status.",
  },
];

const serviceBlocks = services.flatMap((service) => {
  const strict = strictLayerServices.includes(service);
  return [
    {
      files: [`services/${service}/src/**/*.ts`],
      rules: { 'no-restricted-imports': ['error', { patterns: otherServices(service) }] },
    },
    {
      // `src/domain/` of a service in one piece, `src/<module>/domain/` of one in modules (payments).
      files: [`services/${service}/src/**/domain/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: [...domainRestrictions.paths, ...(strict ? drizzleRestrictions.paths : [])],
            patterns: [
              ...otherServices(service),
              ...domainRestrictions.patterns,
              ...(strict ? drizzleRestrictions.patterns : []),
            ],
          },
        ],
      },
    },
    ...(strict
      ? [
          {
            files: [`services/${service}/src/**/http/**/*.ts`],
            rules: {
              'no-restricted-imports': [
                'error',
                { patterns: [...otherServices(service), ...httpRestrictions] },
              ],
            },
          },
          {
            files: [`services/${service}/src/**/*.ts`],
            ignores: [`services/${service}/src/**/*.test.ts`],
            rules: { 'no-restricted-syntax': ['error', ...syntaxRestrictions] },
          },
        ]
      : []),
  ];
});

/**
 * A package of packages/ is a library the services build on: it never imports a service, nor the
 * composition root that starts them (platform/), so every arrow of the import graph points from
 * services down to packages and none runs back up (issue 25, item 7).
 */
const packageMessage =
  'A package (packages/) never imports a service or the composition root: pass what it needs in as a parameter, or move the code into the service or platform/.';

const packageBlock = {
  files: ['packages/*/src/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { regex: `^@expe/(${services.join('|')}|platform)(/|$)`, message: packageMessage },
          { regex: '^(\\.\\./)+(services|platform)(/|$)', message: packageMessage },
        ],
      },
    ],
  },
};

const browserRestrictions = serverOnlyPackages.map((name) => ({
  group: [name, `${name}/*`],
  message: `${name} runs on the server only; browser code (web/src) must not import it.`,
}));

const browserBlock = {
  files: ['web/src/**/*.{ts,tsx}'],
  ignores: ['web/src/**/*.test.{ts,tsx}', 'web/src/test/**'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...browserRestrictions,
          { regex: '^node:', message: 'No Node built-ins in browser code.' },
        ],
      },
    ],
  },
};

const featuresDir = resolve(import.meta.dirname, 'web/src/features');

/** `features/<name>/<rest>` of an absolute path, or null outside web/src/features. */
function featureOf(path) {
  const inside = relative(featuresDir, path);
  if (inside.startsWith('..') || inside === '' || inside.includes(':')) return null;
  const [name, ...rest] = inside.split(sep);
  return { name, rest: rest.join('/') };
}

/**
 * A feature of the web app imports another feature only through its public entry
 * (`features/payments` = `features/payments/index.ts`), never its components, api or helpers:
 * what a feature shares is what its index exports.
 */
const featurePublicEntry = {
  meta: {
    type: 'problem',
    docs: { description: 'Web features import each other only through the public entry.' },
    messages: {
      internal:
        "A feature imports another feature only through its public entry: import from '{{entry}}' (features/{{feature}}/index.ts) and export what you need there, not '{{source}}'.",
    },
    schema: [],
  },
  create(context) {
    const from = featureOf(context.filename);
    // Files beside the feature folders (a test of several features) are no feature's own.
    if (!from || from.rest === '') return {};
    const check = (node) => {
      const source = node.source && node.source.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = featureOf(resolve(dirname(context.filename), source));
      if (!target || target.name === from.name) return;
      if (target.rest === '' || /^index(\.tsx?|\.js)?$/.test(target.rest)) return;
      const entry = source.slice(0, source.length - target.rest.length - 1);
      context.report({
        node: node.source,
        messageId: 'internal',
        data: { entry, feature: target.name, source },
      });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

const servicesDir = resolve(import.meta.dirname, 'services');
const kitDir = resolve(import.meta.dirname, 'packages', 'server-kit', 'src');
// A table export: `export const x = schema.table('x', …)`, or a table the kit's factory makes
// (`export const outbox = outboxTable(…)`). Every one of them ends the one before it.
const tableExport = /export const (\w+) = (?:\w+\.table\(\s*'\w+'|(\w+Table)\s*[<(])/g;

/**
 * The kit's table factories (`export function fooTable(` in packages/server-kit/src/*-table.ts),
 * each with whether the tables it makes carry a `project_id` column: the columns live in the
 * kit, where a service's schema file cannot show them.
 */
function kitTableFactories() {
  const factories = new Map();
  for (const name of readdirSync(kitDir).filter((file) => /-table\.ts$/.test(file))) {
    const source = readFileSync(join(kitDir, name), 'utf8');
    for (const match of source.matchAll(/export function (\w+Table)\s*[<(]/g)) {
      factories.set(match[1], source.includes("'project_id'"));
    }
  }
  return factories;
}

/**
 * The project-scoped tables of a service, read from its drizzle schema files: every table that
 * has a `project_id` column (written out, spread in by the kit's `scopedColumns()`, or made by a
 * kit table factory that has one). Derived, not listed, so a new scoped table is governed the day it is
 * written; test/lint-boundaries.test.ts checks this reading against drizzle's own.
 */
export function scopedTablesOf(service) {
  const dbDir = join(servicesDir, service, 'src', 'db');
  let files;
  try {
    files = readdirSync(dbDir).filter((name) => /schema\.ts$/.test(name));
  } catch {
    return new Set();
  }
  const scoped = new Set();
  const factories = kitTableFactories();
  for (const file of files) {
    const source = readFileSync(join(dbDir, file), 'utf8');
    const starts = [...source.matchAll(tableExport)];
    starts.forEach((match, index) => {
      const end = starts[index + 1]?.index ?? source.length;
      const [, name, factory] = match;
      if (factory !== undefined && !factories.has(factory)) {
        throw new Error(
          `eslint.boundaries.js: ${file} makes table ${name} with ${factory}, which is not a table factory of packages/server-kit/src/*-table.ts`,
        );
      }
      const kitColumns = factory !== undefined && factories.get(factory);
      const table = source.slice(match.index, end);
      // A project_id column of its own, or the kit's scope columns spread in (`...scopedColumns()`).
      if (kitColumns || table.includes("'project_id'") || table.includes('...scopedColumns()')) {
        scoped.add(name);
      }
    });
  }
  return scoped;
}

/**
 * The services whose objects belong to a project (payments, webhooks). Merchants owns the
 * projects and keys themselves, which a merchant user manages across projects; auth owns people.
 */
export const projectScopedServices = ['payments', 'webhooks'];

const scopedTablesCache = new Map();
function scopedTablesFor(filename) {
  const inside = relative(servicesDir, filename);
  if (inside.startsWith('..')) return null;
  const [service, src, ...rest] = inside.split(sep);
  if (!projectScopedServices.includes(service)) return null;
  if (src !== 'src' || /schema\.ts$/.test(rest.at(-1) ?? '')) return null;
  if (!scopedTablesCache.has(service)) scopedTablesCache.set(service, scopedTablesOf(service));
  return scopedTablesCache.get(service);
}

const isFunction = (node) =>
  node.type === 'FunctionDeclaration' ||
  node.type === 'FunctionExpression' ||
  node.type === 'ArrowFunctionExpression';

/** A parameter that carries the scope: named `scope`, or an object pattern with `projectId`. */
function takesScope(fn) {
  return fn.params.some((param) => {
    const target = param.type === 'AssignmentPattern' ? param.left : param;
    if (target.type === 'Identifier') return target.name === 'scope';
    if (target.type === 'ObjectPattern') {
      return target.properties.some(
        (property) => property.type === 'Property' && property.key.name === 'projectId',
      );
    }
    return false;
  });
}

/**
 * A query of a project-scoped table is written inside a function that takes the scope (a
 * parameter `scope: Scope`, or one destructuring `projectId`), or under a comment that says why
 * it may see every project (`// unscoped: <reason>`: due-work sweeps, reconciliation, relays,
 * re-reads by id under a lock taken after a scoped check). A query without the project cannot be
 * written by accident: the family of cross-project leaks of issue 19.
 */
const scopedRepository = {
  meta: {
    type: 'problem',
    docs: { description: 'Project-scoped tables are queried with the scope.' },
    messages: {
      unscoped:
        "'{{table}}' is scoped by project: query it in a function that takes `scope: Scope` (and filter by its projectId and mode), or say why it may see every project with a `// unscoped: <reason>` comment above the function.",
    },
    schema: [],
  },
  create(context) {
    const scoped = scopedTablesFor(context.filename);
    if (!scoped || scoped.size === 0) return {};
    const source = context.sourceCode;
    const explained = (node) =>
      source
        .getCommentsBefore(node)
        .some((comment) => /(^|[\s*])unscoped:\s*\S/.test(comment.value));
    /** The function, or the statement that declares it, carries the `unscoped:` reason. */
    const hasReason = (fn) => {
      let node = fn;
      while (node.parent && !isFunction(node.parent) && node.parent.type !== 'Program') {
        if (explained(node)) return true;
        if (node.parent.type === 'BlockStatement' || node.parent.type === 'ClassBody') break;
        node = node.parent;
      }
      return explained(node);
    };
    const tableNames = new Map();
    /** One report per function: its first unscoped reference says enough. */
    const reported = new Set();
    return {
      ImportDeclaration(node) {
        if (!/schema(\.js)?$/.test(String(node.source.value))) return;
        for (const specifier of node.specifiers) {
          if (specifier.type === 'ImportSpecifier' && scoped.has(specifier.imported.name)) {
            tableNames.set(specifier.local.name, specifier.imported.name);
          }
        }
      },
      Identifier(node) {
        const table = tableNames.get(node.name);
        if (!table || node.parent.type === 'ImportSpecifier') return;
        if (node.parent.type === 'MemberExpression' && node.parent.property === node) return;
        if (node.parent.type === 'Property' && node.parent.key === node && !node.parent.shorthand) {
          return;
        }
        let fn = node.parent;
        let covered = false;
        let innermost = null;
        while (fn) {
          if (isFunction(fn)) {
            innermost ??= fn;
            if (takesScope(fn) || hasReason(fn)) {
              covered = true;
              break;
            }
          }
          fn = fn.parent;
        }
        // A table named outside any function (a registry, a re-export) runs no query.
        if (!innermost || covered || reported.has(innermost)) return;
        reported.add(innermost);
        context.report({ node, messageId: 'unscoped', data: { table } });
      },
    };
  },
};

/**
 * `services/<service>/src/<module>/<rest>` of an absolute path, or null outside a service's src/.
 * A module is a folder of src/ with an `index.ts`: its public entry (payments' `ledger/`).
 */
function serviceModuleOf(path) {
  const inside = relative(servicesDir, path);
  if (inside.startsWith('..') || inside.includes(':')) return null;
  const [service, src, name, ...rest] = inside.split(sep);
  if (src !== 'src' || !name || rest.length === 0) return { service, name: null, rest: '' };
  return { service, name, rest: rest.join('/') };
}

/**
 * A module of a service that has a public entry (`src/<module>/index.ts`, payments' `ledger/`)
 * is imported from outside only through it: what the ledger offers the other modules is posting
 * and the chart of accounts, and its repository, SQL and helpers stay its own.
 */
const modulePublicEntry = {
  meta: {
    type: 'problem',
    docs: { description: 'A service module with an index.ts is imported only through it.' },
    messages: {
      internal:
        "'{{module}}/' is imported only through its public entry: import from '{{entry}}' ({{module}}/index.ts) and export what you need there, not '{{source}}'.",
    },
    schema: [],
  },
  create(context) {
    const from = serviceModuleOf(context.filename);
    if (!from) return {};
    const check = (node) => {
      const source = node.source && node.source.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = serviceModuleOf(resolve(dirname(context.filename), source));
      if (!target || !target.name || target.service !== from.service) return;
      if (target.name === from.name) return;
      if (/^index(\.[jt]s)?$/.test(target.rest)) return;
      const folder = join(servicesDir, target.service, 'src', target.name);
      if (!existsSync(join(folder, 'index.ts'))) return;
      const entry = `${source.slice(0, source.length - target.rest.length - 1)}/index.js`;
      context.report({
        node: node.source,
        messageId: 'internal',
        data: { entry, module: target.name, source },
      });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

/** One plugin object for every block, as ESLint requires of a plugin named in several blocks. */
const expeBoundaries = {
  rules: {
    'feature-public-entry': featurePublicEntry,
    'scoped-repository': scopedRepository,
    'module-public-entry': modulePublicEntry,
  },
};

const featureBlock = {
  files: ['web/src/features/**/*.{ts,tsx}'],
  plugins: { 'expe-boundaries': expeBoundaries },
  rules: { 'expe-boundaries/feature-public-entry': 'error' },
};

const scopedRepositoryBlock = {
  files: ['services/*/src/**/*.ts'],
  ignores: ['services/*/src/**/*.test.ts'],
  plugins: { 'expe-boundaries': expeBoundaries },
  rules: { 'expe-boundaries/scoped-repository': 'error' },
};

const modulePublicEntryBlock = {
  files: ['services/*/src/**/*.ts'],
  plugins: { 'expe-boundaries': expeBoundaries },
  rules: { 'expe-boundaries/module-public-entry': 'error' },
};

export const boundaryBlocks = [
  ...serviceBlocks,
  packageBlock,
  browserBlock,
  featureBlock,
  scopedRepositoryBlock,
  modulePublicEntryBlock,
];
