import { dirname, relative, resolve, sep } from 'node:path';

// Boundaries the linter keeps (ARCHITECTURE.md "Boundaries", issue 12). Each block names the
// files it governs; test/lint-boundaries.test.ts lints fixtures against exactly these blocks.
// ESLint does not merge the options of one rule across blocks, so every block that matches a
// file states all of that file's restricted imports. Tests may start sibling services for real
// (as packages/platform composes them): the service rule governs src/ only.

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

const serviceBlocks = services.flatMap((service) => [
  {
    files: [`services/${service}/src/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: otherServices(service) }] },
  },
  {
    files: [`services/${service}/src/domain/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: domainRestrictions.paths,
          patterns: [...otherServices(service), ...domainRestrictions.patterns],
        },
      ],
    },
  },
]);

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

const featureBlock = {
  files: ['web/src/features/**/*.{ts,tsx}'],
  plugins: { 'expe-boundaries': { rules: { 'feature-public-entry': featurePublicEntry } } },
  rules: { 'expe-boundaries/feature-public-entry': 'error' },
};

export const boundaryBlocks = [...serviceBlocks, browserBlock, featureBlock];
