import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  /** CSS selectors of the offending nodes (first few). */
  nodes: string[];
}

interface AxeResult {
  violations: {
    id: string;
    impact?: string | null;
    help: string;
    nodes: { target: unknown[] }[];
  }[];
}

// The callbacks given to page.evaluate run in Chromium. The Node typecheck of the tests has no DOM
// library (adding it would change the types of Node's own fetch), so the few browser globals they
// touch are declared here, for this module only.
interface BrowserElement {
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const window: object;
declare const document: {
  activeElement: BrowserElement | null;
  body: unknown;
  querySelector(selector: string): BrowserElement | null;
};
declare const CSS: { escape(value: string): string };

/**
 * Runs axe-core (pinned in web/package.json) in the page with the WCAG 2 A and AA rules and
 * returns every violation. Callers assert that none is `serious` or `critical`.
 */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  const isLoaded = await page.evaluate(() => 'axe' in window);
  // Evaluated over the DevTools protocol: the app's CSP (script-src 'self') forbids an inline
  // <script>, and rightly so.
  if (!isLoaded) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } })
      .axe;
    return axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
  });
  return (result as AxeResult).violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact ?? 'unknown',
    help: violation.help,
    nodes: violation.nodes.slice(0, 5).map((node) => node.target.map(String).join(' ')),
  }));
}

export const isSerious = (finding: AxeFinding) =>
  finding.impact === 'serious' || finding.impact === 'critical';

/**
 * Presses Tab until the focused element matches `accessibleName` (its label, text or
 * aria-label), proving it is reachable by keyboard; fails after `max` presses.
 */
export async function tabTo(page: Page, accessibleName: RegExp, max = 40): Promise<void> {
  for (let press = 0; press < max; press += 1) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => {
      const element = document.activeElement;
      if (!element || element === document.body) return '';
      const labelled = element.getAttribute('aria-label');
      const id = element.id;
      const label = id ? document.querySelector(`label[for="${CSS.escape(id)}"]`) : null;
      return [labelled, label?.textContent, element.textContent].filter(Boolean).join(' | ');
    });
    if (accessibleName.test(name)) return;
  }
  throw new Error(`no element named ${accessibleName} within ${max} Tab presses`);
}
