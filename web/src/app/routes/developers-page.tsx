import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Empty } from '../../components/states';
import { useToast } from '../../components/toast';
import { Card, PageHeader } from '../../components/ui';
import { ConsoleNav } from '../../features/console/components/console-nav';
import { TestClockCard } from '../../features/developers/components/test-clock-card';
import { createProject, listProjects, merchantKeysQuery } from '../../features/merchants/api';
import { ApiKeyDialogs } from '../../features/merchants/components/api-key-dialogs';
import { ApiKeysCard } from '../../features/merchants/components/api-keys-card';
import type { DeveloperDialog } from '../../features/merchants/components/developer-dialog';
import { ProjectDialogs } from '../../features/merchants/components/project-dialogs';
import { ProjectsCard } from '../../features/merchants/components/projects-card';
import { merchantKeys, useMerchantKeys } from '../../lib/merchant-keys';

/** Projects, the API keys of the chosen one, and the test clock. */
export function DevelopersPage() {
  const toast = useToast();
  const queryClient = useQueryClient();
  const state = useMerchantKeys();
  const [dialog, setDialog] = useState<DeveloperDialog>(null);
  const projects = useQuery({ queryKey: merchantKeysQuery.projects, queryFn: listProjects });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: merchantKeysQuery.projects });
  const selected =
    projects.data?.data.find((project) => project.id === state.projectId) ?? projects.data?.data[0];

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
            merchantKeys.setProject(project.id);
            toast.success(`Created project ${project.name}`);
            await invalidate();
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
          <TestClockCard />
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
