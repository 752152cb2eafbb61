import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { trace } from '@opentelemetry/api';
import express from 'express';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { httpMetrics } from './http-metrics.js';
import { isTracingConfigured, serveMetrics, startTelemetry } from './telemetry.js';

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

  it('when a route has served requests, then /metrics has one http.server.request.duration family (the kit aggregates it, issue 23) with its labels and counts', async () => {
    const app = express()
      .use(httpMetrics('telemetry-test'))
      .get('/things/:id', (_req, res) => {
        res.json({ ok: true });
      })
      .get('/metrics', serveMetrics);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      for (const id of ['a', 'b', 'c']) await fetch(`http://127.0.0.1:${port}/things/${id}`);
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

      expect(text.match(/^# TYPE http_server_request_duration histogram$/gm)).toHaveLength(1);
      expect(text).toContain(
        '# HELP http_server_request_duration Duration of HTTP requests served',
      );
      expect(text).toMatch(
        /^http_server_request_duration_count\{service="telemetry-test",http_request_method="GET",http_route="\/things\/:id",http_response_status_code="200",otel_scope_name="expe-http"\} 3$/m,
      );
      expect(text).toMatch(
        /^http_server_request_duration_bucket\{service="telemetry-test",http_request_method="GET",http_route="\/things\/:id",http_response_status_code="200",otel_scope_name="expe-http",le="\+Inf"\} 3$/m,
      );
      expect(text).not.toContain('http_route="/metrics"');
    } finally {
      server.close();
    }
  });
});

describe('tracing (issue 23)', () => {
  const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;
  let child: ChildProcess | undefined;
  let receiver: Server | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    receiver?.close();
    child = receiver = undefined;
  });

  /** The fixture service, started with the telemetry preload as every service is. */
  async function startTracedApp(env: Record<string, string>): Promise<string> {
    const environment: NodeJS.ProcessEnv = { ...process.env, OTEL_SERVICE_NAME: 'traced-app' };
    for (const name of Object.keys(environment)) {
      if (name.startsWith('OTEL_EXPORTER_') || name === 'OTEL_TRACES_EXPORTER') {
        delete environment[name];
      }
    }
    child = fork(fileURLToPath(new URL('../test/traced-app.ts', import.meta.url)), [], {
      cwd: repositoryRoot,
      execArgv: [
        '--conditions=@expe/source',
        '--import',
        'tsx',
        '--import',
        '@expe/server-kit/instrument',
      ],
      env: { ...environment, ...env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const [message] = (await once(child, 'message')) as [{ port: number }];
    return `http://127.0.0.1:${message.port}`;
  }

  async function echo(base: string) {
    const response = await fetch(`${base}/echo/42`, { headers: { traceparent } });
    return (await response.json()) as {
      log: { trace_id?: string };
      forwarded: Record<string, string>;
    };
  }

  it('when no exporter is configured, then the tracer provider is a no-op: no span, no trace id', () => {
    const telemetry = startTelemetry('telemetry-test');

    const span = trace.getTracer('telemetry-test').startSpan('a request');

    expect(isTracingConfigured(process.env)).toBe(false);
    expect(telemetry.isTracing).toBe(false);
    expect(span.isRecording()).toBe(false);
    expect(trace.isSpanContextValid(span.spanContext())).toBe(false);
  });

  it('when an exporter is configured only by OTEL_TRACES_EXPORTER, or turned off by none, then that decides', () => {
    expect(isTracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(
      true,
    );
    expect(isTracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c/v1/traces' })).toBe(
      true,
    );
    expect(isTracingConfigured({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(
      isTracingConfigured({
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      }),
    ).toBe(false);
  });

  it('when a service runs without an exporter, then a request carries no trace into its logs or its calls', async () => {
    const base = await startTracedApp({});

    const answer = await echo(base);

    expect(answer.log).toEqual({});
    expect(answer.forwarded).toEqual({});
  });

  it('when an OTLP endpoint is set, then the request is a span of the caller trace, exported, logged and passed on', async () => {
    const spans: { traceId: string; name: string; attributes: { key: string }[] }[] = [];
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.url === '/v1/traces') {
          const parsed = JSON.parse(body) as {
            resourceSpans: { scopeSpans: { spans: (typeof spans)[number][] }[] }[];
          };
          for (const resource of parsed.resourceSpans) {
            for (const scope of resource.scopeSpans) spans.push(...scope.spans);
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    }).listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const { port } = receiver.address() as AddressInfo;
    const base = await startTracedApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });

    const answer = await echo(base);

    expect(answer.log.trace_id).toBe(traceId);
    expect(answer.forwarded.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    await vi.waitFor(() => expect(spans.some((span) => span.name === 'GET /echo/:id')).toBe(true), {
      timeout: 10_000,
      interval: 50,
    });
    const server = spans.find((span) => span.name === 'GET /echo/:id')!;
    expect(server.traceId).toBe(traceId);
  });
});
