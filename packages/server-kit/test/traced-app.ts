// A minimal service for telemetry.test.ts, started as services are: with the
// `@expe/server-kit/instrument` preload. GET /echo/:id answers what a log line and a call to
// another service would carry of the trace it runs in.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { withTraceContext } from '../src/service-client.js';
import { traceFields } from '../src/telemetry.js';

const app = express();
app.get('/echo/:id', (_req, res) => {
  res.json({ log: traceFields(), forwarded: withTraceContext({}) });
});
const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
