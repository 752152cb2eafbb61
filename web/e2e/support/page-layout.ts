import type { Page } from 'playwright-core';

// The callbacks given to page.evaluate run in Chromium. The Node typecheck of the tests has no DOM
// library (see accessibility.ts), so the few browser globals they touch are declared here, for
// this module only.
interface BrowserRect {
  top: number;
  height: number;
}
interface BrowserElement {
  textContent: string | null;
  parentElement: BrowserElement | null;
  getBoundingClientRect(): BrowserRect;
  checkVisibility(): boolean;
  contains(other: BrowserElement): boolean;
  querySelectorAll(selector: string): Iterable<BrowserElement>;
}
interface BrowserTextNode {
  textContent: string | null;
  parentElement: BrowserElement | null;
}
declare const document: {
  body: BrowserElement;
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelector(selector: string): BrowserElement | null;
  createTreeWalker(root: BrowserElement, show: number): { nextNode(): BrowserTextNode | null };
};

export interface HeaderLayout {
  /** How many CSS pixels the page is wider than the window (0: no sideways scrolling). */
  overflow: number;
  /** The distinct tops of the main navigation's visible links: one row has one. */
  linkRows: number;
  /** The visible links whose label wrapped onto two lines. */
  wrappedLinks: (string | null)[];
  /** Whether the menu button (the links' way in on narrow windows) is visible. */
  hasMenuButton: boolean;
}

/** Measures the header's main navigation and the page's width as laid out now. */
export function headerLayout(page: Page): Promise<HeaderLayout> {
  return page.evaluate(() => {
    const nav = document.querySelector('nav[aria-label="Main"]');
    const links = nav
      ? [...nav.querySelectorAll('a')].filter((link) => link.checkVisibility())
      : [];
    return {
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      linkRows: new Set(links.map((link) => Math.round(link.getBoundingClientRect().top))).size,
      // One line of text-sm with py-2 is 36 px high; a wrapped label makes it 56.
      wrappedLinks: links
        .filter((link) => link.getBoundingClientRect().height > 40)
        .map((link) => link.textContent),
      hasMenuButton: Boolean(
        document.querySelector('button[aria-controls="mobile-nav"]')?.checkVisibility(),
      ),
    };
  });
}

/** The visible text nodes matching `pattern`, except those inside `except` (a CSS selector). */
export function visibleTextMatching(
  page: Page,
  pattern: RegExp,
  except: string,
): Promise<string[]> {
  return page.evaluate(
    ({ source, flags, except }) => {
      const matcher = new RegExp(source, flags);
      const skipped = document.querySelector(except);
      // 4: NodeFilter.SHOW_TEXT
      const walker = document.createTreeWalker(document.body, 4);
      const found: string[] = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || skipped?.contains(parent) || !parent.checkVisibility()) continue;
        if (matcher.test(node.textContent ?? '')) found.push(node.textContent ?? '');
      }
      return found;
    },
    { source: pattern.source, flags: pattern.flags, except },
  );
}
