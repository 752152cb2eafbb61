import {
  ApiException,
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  createConfiguration,
  CustomObjectsApi,
  IsomorphicFetchHttpLibrary,
  KubeConfig,
  ServerConfiguration,
  wrapHttpLibrary,
  type HttpLibrary,
} from '@kubernetes/client-node';
import type { startTelemetry } from '@expe/server-kit';

type Meter = ReturnType<typeof startTelemetry>['meter'];

export interface KubeClients {
  config: KubeConfig;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  coordination: CoordinationV1Api;
  apps: AppsV1Api;
}

/**
 * From the given kubeconfig file, else in-cluster or ~/.kube/config (loadFromDefault). With a
 * meter, every request to the API server is counted and timed, as client-go's rest_client
 * metrics: operator_kube_api_requests_total{method,code} (code "error" when no answer came) and
 * operator_kube_api_request_duration_seconds{method} (a histogram).
 */
export function createKubeClients(kubeconfigPath?: string, meter?: Meter): KubeClients {
  const config = new KubeConfig();
  if (kubeconfigPath) config.loadFromFile(kubeconfigPath);
  else config.loadFromDefault();
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error('No active cluster in the kubeconfig');
  const httpApi = meter ? measuredHttpLibrary(meter) : undefined;
  const make = <T>(api: new (configuration: ReturnType<typeof createConfiguration>) => T): T =>
    new api(
      createConfiguration({
        baseServer: new ServerConfiguration(cluster.server, {}),
        authMethods: { default: config },
        ...(httpApi ? { httpApi } : {}),
      }),
    );
  return {
    config,
    core: make(CoreV1Api),
    custom: make(CustomObjectsApi),
    coordination: make(CoordinationV1Api),
    apps: make(AppsV1Api),
  };
}

function measuredHttpLibrary(meter: Meter): HttpLibrary {
  const requests = meter.createCounter('operator_kube_api_requests_total', {
    description: 'Requests to the Kubernetes API server by HTTP method and status code',
  });
  const duration = meter.createHistogram('operator_kube_api_request_duration_seconds', {
    unit: 's',
    description: 'Time a request to the Kubernetes API server took',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
  });
  const fetchLibrary = new IsomorphicFetchHttpLibrary();
  return wrapHttpLibrary({
    async send(request) {
      const method = request.getHttpMethod().toString();
      const started = process.hrtime.bigint();
      let code = 'error';
      try {
        const response = await fetchLibrary.send(request).toPromise();
        code = String(response.httpStatusCode);
        return response;
      } finally {
        requests.add(1, { method, code });
        duration.record(Number(process.hrtime.bigint() - started) / 1e9, { method });
      }
    },
  });
}

/** The HTTP status of a failed API call, or undefined for anything else. */
export function apiStatus(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

export function isApiStatus(error: unknown, status: number): boolean {
  return apiStatus(error) === status;
}
