import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Route files are thin: a page's logic lives in its feature (`features/<area>/<name>-page.tsx`),
 * and `app/routes/<name>-page.tsx` is the lazy chunk the router loads for one path. It names one
 * page and may only read the URL (the hosted checkout's id, secret and session) to hand it on.
 */
const routesDir = join(import.meta.dirname, 'routes');
const routeFiles = readdirSync(routesDir).filter((name) => name.endsWith('.tsx'));
/** The router's code, without its comments (whose example names a page that is not there). */
const router = readFileSync(join(import.meta.dirname, 'router.tsx'), 'utf8').replace(
  /\/\*[^]*?\*\//g,
  '',
);

describe('route files (web/src/app/routes)', () => {
  it.each(routeFiles)(
    'when %s is a route, then it exports one page, from a feature, with no page logic',
    (name) => {
      const source = readFileSync(join(routesDir, name), 'utf8');
      const exported = [...source.matchAll(/^export (?:function (\w+)|\{ (\w+) \})/gm)];
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]!);
      const hooks = [...source.matchAll(/\buse[A-Z]\w*/g)].map((match) => match[0]);

      expect(exported, 'one page per route file').toHaveLength(1);
      expect(
        imports.filter((from) => from !== 'react-router' && !from.startsWith('../../features/')),
        'a route imports its page from a feature (and the router, to read the URL)',
      ).toEqual([]);
      expect(
        hooks.filter((hook) => !['useParams', 'useLocation', 'useSearchParams'].includes(hook)),
        'no state, queries or effects in a route file',
      ).toEqual([]);
      expect(source.split('\n').length, 'a route file stays a few lines').toBeLessThan(25);
    },
  );

  it('when a route file exists, then the router loads it, and every route the router loads exists', () => {
    const loaded = [...router.matchAll(/import\('\.\/routes\/([\w-]+)'\)/g)].map(
      (match) => `${match[1]}.tsx`,
    );
    expect([...new Set(loaded)].sort()).toEqual([...routeFiles].sort());
  });
});
