import {
  ApiException,
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';

export interface KubeClients {
  config: KubeConfig;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  coordination: CoordinationV1Api;
  apps: AppsV1Api;
}

/** From the given kubeconfig file, else in-cluster or ~/.kube/config (loadFromDefault). */
export function createKubeClients(kubeconfigPath?: string): KubeClients {
  const config = new KubeConfig();
  if (kubeconfigPath) config.loadFromFile(kubeconfigPath);
  else config.loadFromDefault();
  return {
    config,
    core: config.makeApiClient(CoreV1Api),
    custom: config.makeApiClient(CustomObjectsApi),
    coordination: config.makeApiClient(CoordinationV1Api),
    apps: config.makeApiClient(AppsV1Api),
  };
}

/** The HTTP status of a failed API call, or undefined for anything else. */
export function apiStatus(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

export function isApiStatus(error: unknown, status: number): boolean {
  return apiStatus(error) === status;
}
