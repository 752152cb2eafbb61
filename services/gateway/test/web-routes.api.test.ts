import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webAppRouter } from '../src/http/web-routes.js';

// A built web app in a temporary directory: the three entries and one hashed asset.
let dist: string;
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'expe-web-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<title>app</title>');
  writeFileSync(join(dist, 'checkout.html'), '<title>checkout</title>');
  writeFileSync(join(dist, 'receipt.html'), '<title>receipt</title>');
  writeFileSync(join(dist, 'assets/main-abc.js'), 'console.log(1)');
  const app = express().use(webAppRouter(dist));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
});

afterAll(async () => {
  await close();
  rmSync(dist, { recursive: true, force: true });
});

const page = (path: string) =>
  fetch(`${base}${path}`, { headers: { accept: 'text/html' } }).then(async (response) => ({
    status: response.status,
    body: await response.text(),
  }));

describe('the web app behind the gateway', () => {
  it('when a customer opens a checkout link, then the checkout entry is served, not the console', async () => {
    expect(await page('/pay/pay_123')).toEqual({ status: 200, body: '<title>checkout</title>' });
  });

  it("when a payer opens a charge's receipt link, then the receipt entry is served, not the console", async () => {
    expect(await page('/receipts/ch_123')).toEqual({ status: 200, body: '<title>receipt</title>' });
  });

  it('when any other page is opened, then the app entry is served (the router takes over)', async () => {
    for (const path of ['/', '/dashboard', '/payments/pay_123', '/payments']) {
      expect(await page(path)).toEqual({ status: 200, body: '<title>app</title>' });
    }
  });

  it('when an asset is asked for, then it is served with a year of caching', async () => {
    const response = await fetch(`${base}/assets/main-abc.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('immutable');
  });
});
