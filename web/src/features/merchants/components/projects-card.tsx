import type { ProjectResource } from '@expe/contracts';
import { FolderKanban, Pencil, Trash2 } from 'lucide-react';
import { Empty, QueryState } from '../../../components/states';
import { Card } from '../../../components/ui';
import type { ListPage } from '../../../lib/api';
import { formatDate } from '../../../lib/format';
import { NameForm } from './name-form';

/** The merchant's projects: create one, pick one, or open its rename or delete dialog. */
export function ProjectsCard({
  projects,
  selectedId,
  onCreate,
  onSelect,
  onRename,
  onDelete,
}: {
  projects: {
    isPending: boolean;
    error: unknown;
    data: ListPage<ProjectResource> | undefined;
    refetch: () => unknown;
  };
  selectedId: string | undefined;
  onCreate: (name: string) => Promise<void>;
  onSelect: (project: ProjectResource) => void;
  onRename: (project: ProjectResource) => void;
  onDelete: (project: ProjectResource) => void;
}) {
  return (
    <Card title="Projects" className="lg:col-span-1">
      <div className="space-y-4">
        <NameForm label="New project name" submitLabel="Create" onSubmit={onCreate} />
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
                    className={`flex items-center gap-1 rounded-lg px-2 py-1 ${selectedId === project.id ? 'bg-brand-50 ring-1 ring-brand-200' : ''}`}
                  >
                    <button
                      type="button"
                      className="flex min-w-0 flex-1 items-center gap-2 py-1 text-left text-sm font-medium"
                      aria-pressed={selectedId === project.id}
                      onClick={() => onSelect(project)}
                    >
                      <FolderKanban
                        className="h-4 w-4 shrink-0 text-slate-400"
                        aria-hidden="true"
                      />
                      <span className="truncate">{project.name}</span>
                      {project.expires_at !== null && (
                        <SandboxBadge expiresAt={project.expires_at} />
                      )}
                    </button>
                    <button
                      type="button"
                      aria-label={`Rename ${project.name}`}
                      className="rounded p-1.5 text-slate-500 hover:bg-slate-100"
                      onClick={() => onRename(project)}
                    >
                      <Pencil className="h-4 w-4" aria-hidden="true" />
                    </button>
                    <button
                      type="button"
                      aria-label={`Delete ${project.name}`}
                      className="rounded p-1.5 text-rose-600 hover:bg-rose-50"
                      onClick={() => onDelete(project)}
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
  );
}

/** A sandbox project ends on its own: when, or that it has (its keys no longer answer). */
function SandboxBadge({ expiresAt }: { expiresAt: number }) {
  const hasEnded = expiresAt * 1000 <= Date.now();
  return (
    <span
      className="shrink-0 rounded bg-amber-50 px-1.5 py-0.5 text-xs font-normal text-amber-800"
      title="A sandbox: test keys only; at its end its keys stop answering and its test data is archived"
    >
      {hasEnded ? 'Sandbox · ended' : `Sandbox · ends ${formatDate(expiresAt)}`}
    </span>
  );
}
