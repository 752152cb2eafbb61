import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRound } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Empty, QueryState } from '../../../components/states';
import { useToast } from '../../../components/toast';
import { Badge, Button, Card, SelectField } from '../../../components/ui';
import {
  merchantKeys,
  selectActiveKey,
  useMerchantKeys,
  type SessionKey,
} from '../../../lib/merchant-keys';
import { createApiKey, listApiKeys, listProjects, merchantKeysQuery, rollApiKey } from '../api';

/**
 * Chooses the project and the secret key the console acts with. Secrets are shown once, so
 * only keys created or rolled in this session can be used; an older key must be rolled here.
 */
export function KeyPicker({ compact = false }: { compact?: boolean }) {
  const state = useMerchantKeys();
  const toast = useToast();
  const queryClient = useQueryClient();
  const projects = useQuery({ queryKey: merchantKeysQuery.projects, queryFn: listProjects });
  const projectId = state.projectId ?? projects.data?.data[0]?.id ?? null;
  const keys = useQuery({
    queryKey: merchantKeysQuery.apiKeys(projectId ?? 'none'),
    queryFn: () => listApiKeys(projectId ?? ''),
    enabled: Boolean(projectId),
  });
  const remember = (key: {
    id: string;
    name: string;
    secret?: string | undefined;
    mode: 'test' | 'live';
  }) => {
    if (!key.secret || !projectId) return;
    merchantKeys.remember({
      id: key.id,
      name: key.name,
      projectId,
      mode: key.mode,
      secret: key.secret,
    });
    void queryClient.invalidateQueries({ queryKey: merchantKeysQuery.apiKeys(projectId) });
  };
  const create = useMutation({
    mutationFn: () => createApiKey(projectId ?? '', `Console (${state.mode})`, state.mode),
    onSuccess: (key) => {
      remember(key);
      toast.success(`Created ${key.name}; the console uses it for this session`);
    },
    onError: toast.error,
  });
  const roll = useMutation({
    mutationFn: (keyId: string) => rollApiKey(projectId ?? '', keyId, 24 * 3600),
    onSuccess: (key) => {
      remember(key);
      toast.success(`Rolled ${key.name}; the old secret keeps working for 24 hours`);
    },
    onError: toast.error,
  });
  const active = selectActiveKey({ ...state, projectId });

  return (
    <Card title={compact ? undefined : 'Act as a secret key'} className={compact ? 'py-3' : ''}>
      <QueryState query={projects}>
        {(page) =>
          page.data.length === 0 ? (
            <Empty title="No project yet">
              <Link className="font-medium text-brand-700" to="/developers">
                Create a project
              </Link>{' '}
              to get API keys.
            </Empty>
          ) : (
            <div className="space-y-4">
              <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
                <SelectField
                  label="Project"
                  name="project"
                  value={projectId ?? ''}
                  onChange={(event) => merchantKeys.setProject(event.target.value)}
                >
                  {page.data.map((project) => (
                    <option key={project.id} value={project.id}>
                      {project.name}
                    </option>
                  ))}
                </SelectField>
                <div className="flex items-end text-sm text-slate-600">
                  <p>
                    Mode:{' '}
                    <Badge tone={state.mode === 'test' ? 'amber' : 'green'}>{state.mode}</Badge>{' '}
                    {active ? (
                      <>
                        using <strong>{active.name}</strong>
                      </>
                    ) : (
                      'no key with a known secret in this session'
                    )}
                  </p>
                </div>
              </div>
              {!compact || !active ? (
                <QueryState query={keys}>
                  {(list) => {
                    const usable = list.data.filter(
                      (key) => key.mode === state.mode && key.status === 'active',
                    );
                    return (
                      <div className="space-y-2">
                        {usable.length > 0 && (
                          <ul className="divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200">
                            {usable.map((key) => {
                              const known: SessionKey | undefined = state.keys[key.id];
                              return (
                                <li
                                  key={key.id}
                                  className="flex flex-wrap items-center gap-2 px-3 py-2 text-sm"
                                >
                                  <KeyRound className="h-4 w-4 text-slate-400" aria-hidden="true" />
                                  <span className="font-medium">{key.name}</span>
                                  <code className="font-mono text-xs text-slate-500">
                                    {key.secret_masked}
                                  </code>
                                  <span className="ml-auto">
                                    {known ? (
                                      active?.id === key.id ? (
                                        <Badge tone="green">in use</Badge>
                                      ) : (
                                        <Button
                                          variant="secondary"
                                          onClick={() => merchantKeys.activate(key.id)}
                                        >
                                          Use
                                        </Button>
                                      )
                                    ) : (
                                      <Button
                                        variant="secondary"
                                        busy={roll.isPending && roll.variables === key.id}
                                        onClick={() => roll.mutate(key.id)}
                                      >
                                        Roll to use here
                                      </Button>
                                    )}
                                  </span>
                                </li>
                              );
                            })}
                          </ul>
                        )}
                        <p className="text-xs text-slate-500">
                          A secret is shown only once. Keys from another session must be rolled (a
                          new secret; the old one works for 24 h) to be used here.
                        </p>
                        <Button onClick={() => create.mutate()} busy={create.isPending}>
                          Create a {state.mode} key for this session
                        </Button>
                      </div>
                    );
                  }}
                </QueryState>
              ) : null}
            </div>
          )
        }
      </QueryState>
    </Card>
  );
}

/** Renders `children` with the active secret key, or the picker until there is one. */
export function RequireKey({ children }: { children: (key: SessionKey) => ReactNode }) {
  const state = useMerchantKeys();
  const active = selectActiveKey(state);
  if (!active) return <KeyPicker />;
  return <>{children(active)}</>;
}
