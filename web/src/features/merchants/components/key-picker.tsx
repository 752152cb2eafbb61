import { useQuery } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Empty, Loading, QueryState } from '../../../components/states';
import { Badge, Card, SelectField } from '../../../components/ui';
import {
  merchantKeys,
  selectActiveKey,
  useMerchantKeys,
  type SessionKey,
} from '../../../lib/merchant-keys';
import { listProjects, merchantKeysQuery } from '../api';

/**
 * The merchant's projects and the one the console acts for: the chosen one while it is among
 * them, else the first. A choice kept from before a reload that no longer exists (deleted, or
 * another person's) is replaced once the list is current.
 */
export function useConsoleProject() {
  const state = useMerchantKeys();
  const projects = useQuery({ queryKey: merchantKeysQuery.projects, queryFn: listProjects });
  const list = projects.data?.data;
  const chosen = list?.find((project) => project.id === state.projectId) ?? list?.[0] ?? null;
  const settled = list !== undefined && !projects.isFetching;
  useEffect(() => {
    if (state.projectId === null ? chosen : settled && chosen?.id !== state.projectId)
      merchantKeys.setProject(chosen?.id ?? null);
  }, [state.projectId, chosen, settled]);
  return { state, projects, chosen };
}

/**
 * Chooses the project the console acts for; the mode is the test/live switch in the header.
 * The console acts with the signed-in person's session (Expe-Project, Expe-Mode): no API key is
 * created, rolled or held for it.
 */
export function KeyPicker({ compact = false }: { compact?: boolean }) {
  const { state, projects, chosen } = useConsoleProject();
  const projectId = chosen?.id ?? null;

  return (
    <Card title={compact ? undefined : 'Acting for'} className={compact ? 'py-3' : ''}>
      <QueryState query={projects}>
        {(page) =>
          page.data.length === 0 ? (
            <Empty title="No project yet">
              <Link className="font-medium text-brand-700" to="/developers">
                Create a project
              </Link>{' '}
              to take payments.
            </Empty>
          ) : (
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
              <p className="flex items-end text-sm text-slate-600">
                <span>
                  Mode: <Badge tone={state.mode === 'test' ? 'amber' : 'green'}>{state.mode}</Badge>{' '}
                  with your session
                </span>
              </p>
            </div>
          )
        }
      </QueryState>
    </Card>
  );
}

/**
 * Renders `children` with what the console acts as (the chosen project, or the first one, in the
 * chosen mode), or a way to create a project when there is none. With `picker`, the compact
 * project and mode picker stands above them (every list page of the console).
 */
export function RequireKey({
  picker = false,
  children,
}: {
  picker?: boolean;
  children: (key: SessionKey) => ReactNode;
}) {
  const { state, projects } = useConsoleProject();
  const active = selectActiveKey(state);
  if (active && picker) {
    return (
      <div className="space-y-6">
        <KeyPicker compact />
        {children(active)}
      </div>
    );
  }
  if (active) return <>{children(active)}</>;
  if (projects.isPending) return <Loading />;
  return <KeyPicker />;
}
