import type { ProjectResource } from '@expe/contracts';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ProjectsCard } from './projects-card';

const project = (id: string, name: string, expiresAt: number | null): ProjectResource => ({
  id,
  object: 'project',
  name,
  api_version: '2026-11-28',
  created: 1_796_000_000,
  expires_at: expiresAt,
});

function renderProjects(data: ProjectResource[]) {
  render(
    <ProjectsCard
      projects={{
        isPending: false,
        error: null,
        data: { object: 'list', data, has_more: false },
        refetch: vi.fn(),
      }}
      selectedId={undefined}
      onCreate={vi.fn()}
      onSelect={vi.fn()}
      onRename={vi.fn()}
      onDelete={vi.fn()}
    />,
  );
  return within(screen.getByTestId('projects'));
}

describe('the projects card', () => {
  it('when a project is a sandbox, then it says when it ends, or that it has; a lasting project says nothing', () => {
    const inAnHour = Math.floor(Date.now() / 1000) + 3_600;
    const list = renderProjects([
      project('prj_a', 'CI run', inAnHour),
      project('prj_b', 'Old run', Math.floor(Date.now() / 1000) - 60),
      project('prj_c', 'Web shop', null),
    ]);

    const items = list.getAllByRole('listitem');
    expect(items[0]!.textContent).toMatch(/Sandbox · ends /);
    expect(items[1]!.textContent).toContain('Sandbox · ended');
    expect(items[2]!.textContent).not.toContain('Sandbox');
  });
});
