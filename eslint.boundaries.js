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

export const boundaryBlocks = [...serviceBlocks, browserBlock];
