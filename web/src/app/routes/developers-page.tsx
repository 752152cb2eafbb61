import type { ApiKeyResource, ProjectResource } from '@expe/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FolderKanban, KeyRound, Pencil, RotateCw, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Modal } from '../../components/modal';
import { Empty, QueryState } from '../../components/states';
import { useToast } from '../../components/toast';
import { Badge, Button, Card, PageHeader, Secret, StatusBadge } from '../../components/ui';
import { ConsoleNav } from '../../features/console/components/console-nav';
import { TestClockCard } from '../../features/developers/components/test-clock-card';
import {
  createApiKey,
  createProject,
  deleteProject,
  listApiKeys,
  listProjects,
  merchantKeysQuery,
  renameProject,
  revokeApiKey,
  rollApiKey,
} from '../../features/merchants/api';
import { ApiKeyForm } from '../../features/merchants/components/api-key-form';
import { NameForm } from '../../features/merchants/components/name-form';
import { formatDate } from '../../lib/format';
import { merchantKeys, useMerchantKeys } from '../../lib/merchant-keys';

type Dialog =
  | { kind: 'rename' | 'delete'; project: ProjectResource }
  | { kind: 'create-key'; project: ProjectResource }
  | { kind: 'revoke' | 'roll'; project: ProjectResource; key: ApiKeyResource }
  | { kind: 'secret'; key: ApiKeyResource }
  | null;

function ApiKeys({
  project,
  openDialog,
}: {
  project: ProjectResource;
  openDialog: (dialog: Dialog) => void;
}) {
  const keys = useQuery({
    queryKey: merchantKeysQuery.apiKeys(project.id),
    queryFn: () => listApiKeys(project.id),
  });
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          <KeyRound className="h-5 w-5 text-slate-400" aria-hidden="true" />
          API keys · {project.name}
        </span>
      }
      actions={
        <Button onClick={() => openDialog({ kind: 'create-key', project })}>Create key</Button>
      }
    >
      <QueryState query={keys}>
        {(page) =>
          page.data.length === 0 ? (
            <Empty title="No keys yet">Create a test key to call the API.</Empty>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="api-keys">
              {page.data.map((key) => (
                <li
                  key={key.id}
                  className="flex flex-wrap items-center gap-x-3 gap-y-2 py-3 text-sm"
                >
                  <div className="min-w-0 flex-1">
                    <p className="flex flex-wrap items-center gap-2 font-medium">
                      {key.name}{' '}
                      <Badge tone={key.mode === 'test' ? 'amber' : 'green'}>{key.mode}</Badge>{' '}
                      <StatusBadge status={key.status} />
                    </p>
                    <p className="mt-1 font-mono text-xs text-slate-500">
                      {key.secret_masked} · {key.publishable}
                    </p>
                    <p className="text-xs text-slate-500">
                      Created {formatDate(key.created)} ·{' '}
                      {key.last_used ? `last used ${formatDate(key.last_used)}` : 'never used'}
                      {key.expiring_secrets.length > 0 &&
                        ` · ${key.expiring_secrets.length} old secret(s) still valid`}
                    </p>
                  </div>
                  {key.status === 'active' && (
                    <div className="flex gap-2">
                      <Button
                        variant="secondary"
                        onClick={() => openDialog({ kind: 'roll', project, key })}
                      >
                        <RotateCw className="h-4 w-4" aria-hidden="true" /> Roll
                      </Button>
                      <Button
                        variant="danger"
                        onClick={() => openDialog({ kind: 'revoke', project, key })}
                      >
                        Revoke
                      </Button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </Card>
  );
}

export function DevelopersPage() {
  const toast = useToast();
  const queryClient = useQueryClient();
  const state = useMerchantKeys();
  const [dialog, setDialog] = useState<Dialog>(null);
  const projects = useQuery({ queryKey: merchantKeysQuery.projects, queryFn: listProjects });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: merchantKeysQuery.projects });
  const selected =
    projects.data?.data.find((project) => project.id === state.projectId) ?? projects.data?.data[0];

  // The secret is shown once, to the person who asked for it; the console itself acts with the
  // person's session (lib/merchant-keys.ts) and keeps no secret.
  const showSecret = (_project: ProjectResource, key: ApiKeyResource) => {
    setDialog({ kind: 'secret', key });
    void invalidate();
  };
  const revoke = useMutation({
    mutationFn: ({ project, key }: { project: ProjectResource; key: ApiKeyResource }) =>
      revokeApiKey(project.id, key.id),
    onSuccess: (key) => {
      toast.success(`Revoked ${key.name}`);
      setDialog(null);
      void invalidate();
    },
    onError: toast.error,
  });
  const roll = useMutation({
    mutationFn: ({ project, key }: { project: ProjectResource; key: ApiKeyResource }) =>
      rollApiKey(project.id, key.id, 24 * 3600),
    onSuccess: (key, { project }) => showSecret(project, key),
    onError: toast.error,
  });
  const remove = useMutation({
    mutationFn: (project: ProjectResource) => deleteProject(project.id),
    onSuccess: (_result, project) => {
      toast.success(`Deleted ${project.name}`);
      if (state.projectId === project.id) merchantKeys.setProject(null);
      setDialog(null);
      void invalidate();
    },
    onError: toast.error,
  });

  return (
    <div>
      <PageHeader
        title="Developers"
        description="Projects, API keys, webhooks and a payment simulator."
      />
      <ConsoleNav />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <Card title="Projects" className="lg:col-span-1">
          <div className="space-y-4">
            <NameForm
              label="New project name"
              submitLabel="Create"
              onSubmit={async (name) => {
                const project = await createProject(name);
                merchantKeys.setProject(project.id);
                toast.success(`Created project ${project.name}`);
                await invalidate();
              }}
            />
            <QueryState query={projects}>
              {(page) =>
                page.data.length === 0 ? (
                  <Empty title="No projects yet">
                    A project groups API keys, payments and webhooks.
                  </Empty>
                ) : (
                  <ul className="space-y-1" data-testid="projects">
                    {page.data.map((project) => (
                      <li
                        key={project.id}
                        className={`flex items-center gap-1 rounded-lg px-2 py-1 ${selected?.id === project.id ? 'bg-brand-50 ring-1 ring-brand-200' : ''}`}
                      >
                        <button
                          type="button"
                          className="flex min-w-0 flex-1 items-center gap-2 py-1 text-left text-sm font-medium"
                          aria-pressed={selected?.id === project.id}
                          onClick={() => merchantKeys.setProject(project.id)}
                        >
                          <FolderKanban
                            className="h-4 w-4 shrink-0 text-slate-400"
                            aria-hidden="true"
                          />
                          <span className="truncate">{project.name}</span>
                        </button>
                        <button
                          type="button"
                          aria-label={`Rename ${project.name}`}
                          className="rounded p-1.5 text-slate-500 hover:bg-slate-100"
                          onClick={() => setDialog({ kind: 'rename', project })}
                        >
                          <Pencil className="h-4 w-4" aria-hidden="true" />
                        </button>
                        <button
                          type="button"
                          aria-label={`Delete ${project.name}`}
                          className="rounded p-1.5 text-rose-600 hover:bg-rose-50"
                          onClick={() => setDialog({ kind: 'delete', project })}
                        >
                          <Trash2 className="h-4 w-4" aria-hidden="true" />
                        </button>
                      </li>
                    ))}
                  </ul>
                )
              }
            </QueryState>
          </div>
        </Card>
        <div className="lg:col-span-2">
          {selected ? (
            <ApiKeys project={selected} openDialog={setDialog} />
          ) : (
            <Card title="API keys">
              <Empty title="Create a project first" />
            </Card>
          )}
        </div>
        <div className="lg:col-span-3">
          <TestClockCard />
        </div>
      </div>

      <Modal
        open={dialog?.kind === 'rename'}
        title="Rename project"
        onClose={() => setDialog(null)}
      >
        {dialog?.kind === 'rename' && (
          <NameForm
            label="Project name"
            initial={dialog.project.name}
            submitLabel="Save"
            onSubmit={async (name) => {
              await renameProject(dialog.project.id, name);
              toast.success('Project renamed');
              setDialog(null);
              await invalidate();
            }}
          />
        )}
      </Modal>
      <Modal
        open={dialog?.kind === 'delete'}
        title="Delete project?"
        onClose={() => setDialog(null)}
      >
        {dialog?.kind === 'delete' && (
          <>
            <p className="mb-4 text-sm text-slate-600">
              <strong>{dialog.project.name}</strong> is deleted and all of its API keys are revoked
              at once. This cannot be undone.
            </p>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={() => setDialog(null)}>
                Keep it
              </Button>
              <Button
                variant="danger"
                busy={remove.isPending}
                onClick={() => remove.mutate(dialog.project)}
              >
                Delete project
              </Button>
            </div>
          </>
        )}
      </Modal>
      <Modal
        open={dialog?.kind === 'create-key'}
        title="Create API key"
        onClose={() => setDialog(null)}
      >
        {dialog?.kind === 'create-key' && (
          <ApiKeyForm
            mode={state.mode}
            onSubmit={async (input) => {
              const key = await createApiKey(dialog.project.id, input.name, input.mode);
              showSecret(dialog.project, key);
            }}
          />
        )}
      </Modal>
      <Modal open={dialog?.kind === 'revoke'} title="Revoke key?" onClose={() => setDialog(null)}>
        {dialog?.kind === 'revoke' && (
          <>
            <p className="mb-4 text-sm text-slate-600">
              Requests with <code className="font-mono">{dialog.key.secret_masked}</code> fail from
              now on.
            </p>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={() => setDialog(null)}>
                Cancel
              </Button>
              <Button
                variant="danger"
                busy={revoke.isPending}
                onClick={() => revoke.mutate(dialog)}
              >
                Revoke key
              </Button>
            </div>
          </>
        )}
      </Modal>
      <Modal open={dialog?.kind === 'roll'} title="Roll key?" onClose={() => setDialog(null)}>
        {dialog?.kind === 'roll' && (
          <>
            <p className="mb-4 text-sm text-slate-600">
              A new secret is issued. The current one keeps working for 24 hours so you can deploy
              the new one.
            </p>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={() => setDialog(null)}>
                Cancel
              </Button>
              <Button busy={roll.isPending} onClick={() => roll.mutate(dialog)}>
                Roll key
              </Button>
            </div>
          </>
        )}
      </Modal>
      <Modal
        open={dialog?.kind === 'secret'}
        title="Your new secret key"
        onClose={() => setDialog(null)}
      >
        {dialog?.kind === 'secret' && dialog.key.secret && (
          <div className="space-y-4">
            <p className="text-sm text-slate-600">
              Copy it now: it is shown only once. This console keeps it in memory for this session
              to act on your behalf.
            </p>
            <Secret value={dialog.key.secret} />
            <p className="text-xs text-slate-500">
              Publishable key: <code className="font-mono">{dialog.key.publishable}</code>
            </p>
            <div className="flex justify-end">
              <Button onClick={() => setDialog(null)}>Done</Button>
            </div>
          </div>
        )}
      </Modal>
    </div>
  );
}
