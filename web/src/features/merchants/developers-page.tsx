import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Empty } from '../../components/states';
import { useToast } from '../../components/toast';
import { Card, PageHeader } from '../../components/ui';
import { ConsoleNav } from '../console';
import { TestClockCard } from '../developers';
import { createProject, merchantKeysQuery } from './api';
import { ApiKeyDialogs } from './components/api-key-dialogs';
import { ApiKeysCard } from './components/api-keys-card';
import type { DeveloperDialog } from './components/developer-dialog';
import { ProjectDialogs } from './components/project-dialogs';
import { ProjectsCard } from './components/projects-card';
import { useConsoleProject } from './components/key-picker';
import { merchantKeys } from '../../lib/merchant-keys';

/** Projects, the API keys of the chosen one, and the test clock. */
export function DevelopersPage() {
  const toast = useToast();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<DeveloperDialog>(null);
  // The chosen project is kept in the store (and over a reload), so the test clock and every
  // other page act for the one shown selected here.
  const { state, projects, chosen: selected } = useConsoleProject();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: merchantKeysQuery.projects });

  return (
    <div>
      <PageHeader
        title="Developers"
        description="Projects, API keys, webhooks and a payment simulator."
      />
      <ConsoleNav />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <ProjectsCard
          projects={projects}
          selectedId={selected?.id}
          onCreate={async (name) => {
            const project = await createProject(name);
            // Chosen once it is in the list, so the list never looks stale next to the choice.
            await invalidate();
            merchantKeys.setProject(project.id);
            toast.success(`Created project ${project.name}`);
          }}
          onSelect={(project) => merchantKeys.setProject(project.id)}
          onRename={(project) => setDialog({ kind: 'rename', project })}
          onDelete={(project) => setDialog({ kind: 'delete', project })}
        />
        <div className="lg:col-span-2">
          {selected ? (
            <ApiKeysCard project={selected} openDialog={setDialog} />
          ) : (
            <Card title="API keys">
              <Empty title="Create a project first" />
            </Card>
          )}
        </div>
        <div className="lg:col-span-3">
          <TestClockCard project={projects.isPending ? undefined : selected} />
        </div>
      </div>
      <ProjectDialogs
        dialog={dialog}
        selectedId={state.projectId}
        onClose={() => setDialog(null)}
        onChanged={invalidate}
      />
      <ApiKeyDialogs
        dialog={dialog}
        mode={state.mode}
        setDialog={setDialog}
        onChanged={invalidate}
      />
    </div>
  );
}
