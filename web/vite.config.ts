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
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: {
      '/v1/ws': { target: gateway.replace(/^http/, 'ws'), ws: true },
      '/v1': gateway,
      '/openapi.json': gateway,
      '/docs': gateway,
    },
  },
});
