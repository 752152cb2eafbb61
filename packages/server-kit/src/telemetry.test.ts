import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { serveMetrics, startTelemetry } from './telemetry.js';

describe("a service's own /metrics (issue 21)", () => {
  const telemetry = startTelemetry('telemetry-test');
  afterAll(() => telemetry.shutdown());

  it('when it is scraped, then target_info names the service but no host name, pid, command line, executable or owner', async () => {
    const app = express().get('/metrics', serveMetrics);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

      expect(text).toMatch(/^target_info\{[^}]*service_name="telemetry-test"/m);
      for (const label of [
        'host_name',
        'host_arch',
        'process_pid',
        'process_command',
        'process_command_args',
        'process_executable_path',
        'process_owner',
      ]) {
        expect(text, label).not.toMatch(new RegExp(`target_info\\{[^}]*${label}=`));
      }
    } finally {
      server.close();
    }
  });
});
