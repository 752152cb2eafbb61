import { resolve } from 'node:path';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// The gateway serves the built app and the API on one origin; in development the dev server
// forwards the API (and its WebSocket) to a gateway started with `npm start`.
const gateway = process.env.EXPE_GATEWAY_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), tailwindcss()],
  // Workspace packages are bundled from their TypeScript sources: no build of contracts first.
  resolve: { conditions: ['@expe/source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // manifest.json: which chunks each entry loads (the size budget test reads it).
    manifest: true,
    // Three entries: the app, the hosted checkout on its own (the gateway serves checkout.html
    // for /pay/*) so a merchant's customer never downloads the console, and the hosted receipt
    // (receipt.html for /receipts/*).
    rolldownOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        checkout: resolve(import.meta.dirname, 'checkout.html'),
        receipt: resolve(import.meta.dirname, 'receipt.html'),
      },
      // Libraries in chunks of their own, so an entry that does not use one (the checkout has
      // no router) does not download it inside a chunk it shares with the other entry.
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'router', test: /node_modules[\\/]react-router[\\/]/ },
            { name: 'query', test: /node_modules[\\/]@tanstack[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/v1/ws': { target: gateway.replace(/^http/, 'ws'), ws: true },
      '/v1': gateway,
      '/openapi.json': gateway,
      '/docs': gateway,
    },
  },
});
