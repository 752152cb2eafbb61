import { latestApiVersion, type ProjectResource } from '@expe/contracts';
import { countRows } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import {
  clientOf,
  createApiKey,
  createProject,
  expectError,
  itRefusesNonMerchants,
  merchantUser,
  parameterError,
  servicePerFile,
  signUpMerchant,
} from './support.js';

const maxProjects = 5;

interface ProjectList {
  object: 'list';
  data: ProjectResource[];
  has_more: boolean;
}

const service = servicePerFile('merchants_projects', {
  MAX_PROJECTS_PER_MERCHANT: String(maxProjects),
});
const call = clientOf(service);

const projectsOf = (merchantId: string, where = 'true') =>
  countRows(
    service.databaseUrl,
    'merchants.projects',
    `merchant_id = '${merchantId}' and ${where}`,
  );

describe('POST /v1/projects', () => {
  it('when a merchant creates a project, then 201 with the project resource', async () => {
    const merchant = await signUpMerchant(call);

    const response = await call<ProjectResource>('POST', '/v1/projects', {
      as: merchant.user,
      body: { name: '  Web shop ' },
    });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^prj_[0-9a-z]{26}$/),
      object: 'project',
      name: 'Web shop',
      api_version: latestApiVersion,
      created: expect.any(Number),
      expires_at: null,
    });
    expect(Math.abs(response.body.created - Date.now() / 1000)).toBeLessThan(60);
    expect(await projectsOf(merchant.id)).toBe(1);
  });

  it.each([
    ['no name', {}, 'parameter_missing', 'name'],
    ['an empty name', { name: '  ' }, 'parameter_invalid', 'name'],
    ['a 101-character name', { name: 'p'.repeat(101) }, 'parameter_invalid', 'name'],
    ['a name of the wrong type', { name: ['a'] }, parameterError, 'name'],
    ['an unknown field', { name: 'ok', live: true }, 'parameter_unknown', 'live'],
  ])(
    'when the body has %s, then 400 names the field and no project is written',
    async (_, body, code, param) => {
      const merchant = await signUpMerchant(call);

      const response = await call('POST', '/v1/projects', { as: merchant.user, body });

      expectError(response, 400, code, param);
      expect(await projectsOf(merchant.id)).toBe(0);
    },
  );

  it(`when the merchant already has ${maxProjects} live projects, then 400 on name and no row`, async () => {
    const merchant = await signUpMerchant(call);
    for (let i = 0; i < maxProjects; i++) await createProject(call, merchant, `P${i}`);

    const response = await call('POST', '/v1/projects', {
      as: merchant.user,
      body: { name: 'One more' },
    });

    expectError(response, 400, 'parameter_invalid', 'name');
    expect((response.body as { error: { message: string } }).error.message).toContain(
      `at most ${maxProjects} projects`,
    );
    expect(await projectsOf(merchant.id)).toBe(maxProjects);
  });

  it('when the limit is reached and one project is deleted, then a new one can be created', async () => {
    const merchant = await signUpMerchant(call);
    const projects = [];
    for (let i = 0; i < maxProjects; i++)
      projects.push(await createProject(call, merchant, `P${i}`));
    await call('DELETE', `/v1/projects/${projects[0]?.id}`, { as: merchant.user });

    const response = await call('POST', '/v1/projects', {
      as: merchant.user,
      body: { name: 'Replacement' },
    });

    expect(response.status).toBe(201);
  });

  it('when many creates race at the limit, then no more than the limit exist', async () => {
    const merchant = await signUpMerchant(call);

    const responses = await Promise.all(
      Array.from({ length: maxProjects + 4 }, (_, i) =>
        call('POST', '/v1/projects', { as: merchant.user, body: { name: `Race ${i}` } }),
      ),
    );

    expect(responses.filter((r) => r.status === 201)).toHaveLength(maxProjects);
    expect(responses.filter((r) => r.status === 400)).toHaveLength(4);
    expect(await projectsOf(merchant.id)).toBe(maxProjects);
  });
});

describe('GET /v1/projects', () => {
  async function fiveProjects() {
    const merchant = await signUpMerchant(call);
    const created = [];
    for (let i = 1; i <= 5; i++) created.push(await createProject(call, merchant, `Project ${i}`));
    return { merchant, names: (ids: ProjectResource[]) => ids.map((p) => p.name), created };
  }

  it('when listed without parameters, then newest first in the list envelope', async () => {
    const { merchant, names } = await fiveProjects();

    const response = await call<ProjectList>('GET', '/v1/projects', { as: merchant.user });

    expect(response.status).toBe(200);
    expect(response.body.object).toBe('list');
    expect(response.body.has_more).toBe(false);
    expect(names(response.body.data)).toEqual([
      'Project 5',
      'Project 4',
      'Project 3',
      'Project 2',
      'Project 1',
    ]);
  });

  it('when paged forward with limit and starting_after, then pages follow and has_more says when to stop', async () => {
    const { merchant, names } = await fiveProjects();

    const first = await call<ProjectList>('GET', '/v1/projects?limit=2', { as: merchant.user });
    const second = await call<ProjectList>(
      'GET',
      `/v1/projects?limit=2&starting_after=${first.body.data[1]?.id}`,
      { as: merchant.user },
    );
    const third = await call<ProjectList>(
      'GET',
      `/v1/projects?limit=2&starting_after=${second.body.data[1]?.id}`,
      { as: merchant.user },
    );

    expect([names(first.body.data), first.body.has_more]).toEqual([
      ['Project 5', 'Project 4'],
      true,
    ]);
    expect([names(second.body.data), second.body.has_more]).toEqual([
      ['Project 3', 'Project 2'],
      true,
    ]);
    expect([names(third.body.data), third.body.has_more]).toEqual([['Project 1'], false]);
  });

  it('when paged backward with ending_before, then the newer neighbours come back newest first', async () => {
    const { merchant, names, created } = await fiveProjects();
    const project2 = created[1];

    const page = await call<ProjectList>(
      'GET',
      `/v1/projects?limit=2&ending_before=${project2?.id}`,
      {
        as: merchant.user,
      },
    );
    const rest = await call<ProjectList>(
      'GET',
      `/v1/projects?limit=2&ending_before=${page.body.data[0]?.id}`,
      { as: merchant.user },
    );

    expect([names(page.body.data), page.body.has_more]).toEqual([['Project 4', 'Project 3'], true]);
    expect([names(rest.body.data), rest.body.has_more]).toEqual([['Project 5'], false]);
  });

  it('when some projects are deleted, then the list leaves them out', async () => {
    const { merchant, names, created } = await fiveProjects();
    await call('DELETE', `/v1/projects/${created[2]?.id}`, { as: merchant.user });

    const response = await call<ProjectList>('GET', '/v1/projects', { as: merchant.user });

    expect(names(response.body.data)).toEqual(['Project 5', 'Project 4', 'Project 2', 'Project 1']);
  });

  it("when another merchant lists, then it sees none of this merchant's projects", async () => {
    const { created } = await fiveProjects();
    const other = await signUpMerchant(call);

    const response = await call<ProjectList>('GET', '/v1/projects', { as: other.user });
    const viaCursor = await call<ProjectList>(
      'GET',
      `/v1/projects?starting_after=${created[4]?.id}`,
      { as: other.user },
    );

    expect(response.body.data).toEqual([]);
    expect(viaCursor.body.data).toEqual([]);
  });

  it.each([
    ['limit=0', 'limit', 'parameter_invalid'],
    ['limit=101', 'limit', 'parameter_invalid'],
    ['limit=ten', 'limit', parameterError],
    ['starting_after=key_0123456789abcdef', 'starting_after', 'parameter_invalid'],
    ['ending_before=nope', 'ending_before', 'parameter_invalid'],
    [
      'starting_after=prj_0123456789a&ending_before=prj_0123456789b',
      'ending_before',
      'parameter_invalid',
    ],
  ])('when the query has %s, then 400 names %s', async (query, param, code) => {
    const merchant = await signUpMerchant(call);

    const response = await call('GET', `/v1/projects?${query}`, { as: merchant.user });

    expectError(response, 400, code, param);
  });

  it('when the query has an unknown parameter, then 400 parameter_unknown', async () => {
    const merchant = await signUpMerchant(call);

    const response = await call('GET', '/v1/projects?colour=red', { as: merchant.user });

    expectError(response, 400, 'parameter_unknown', 'colour');
  });
});

describe('GET, POST and DELETE /v1/projects/:id', () => {
  it('when the owner retrieves a project, then it comes back', async () => {
    const merchant = await signUpMerchant(call);
    const project = await createProject(call, merchant, 'Mobile app');

    const response = await call<ProjectResource>('GET', `/v1/projects/${project.id}`, {
      as: merchant.user,
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual(project);
  });

  it('when the owner renames a project, then the new name is stored', async () => {
    const merchant = await signUpMerchant(call);
    const project = await createProject(call, merchant, 'Old name');

    const response = await call<ProjectResource>('POST', `/v1/projects/${project.id}`, {
      as: merchant.user,
      body: { name: 'New name' },
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ...project, name: 'New name' });
    const again = await call<ProjectResource>('GET', `/v1/projects/${project.id}`, {
      as: merchant.user,
    });
    expect(again.body.name).toBe('New name');
  });

  it.each([
    ['an empty name', { name: '' }, 'parameter_invalid', 'name'],
    ['no name', {}, 'parameter_missing', 'name'],
    ['a too long name', { name: 'n'.repeat(101) }, 'parameter_invalid', 'name'],
    ['an unknown field', { name: 'x', deleted: true }, 'parameter_unknown', 'deleted'],
  ])(
    'when a rename has %s, then 400 names the field and the name stays',
    async (_, body, code, param) => {
      const merchant = await signUpMerchant(call);
      const project = await createProject(call, merchant, 'Keep me');

      const response = await call('POST', `/v1/projects/${project.id}`, {
        as: merchant.user,
        body,
      });

      expectError(response, 400, code, param);
      expect(await projectsOf(merchant.id, `name = 'Keep me'`)).toBe(1);
    },
  );

  it('when the owner deletes a project, then it is gone from reads and its row is soft-deleted', async () => {
    const merchant = await signUpMerchant(call);
    const project = await createProject(call, merchant);

    const response = await call('DELETE', `/v1/projects/${project.id}`, { as: merchant.user });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: project.id, object: 'project', deleted: true });
    expectError(
      await call('GET', `/v1/projects/${project.id}`, { as: merchant.user }),
      404,
      'resource_missing',
      'id',
    );
    expectError(
      await call('POST', `/v1/projects/${project.id}`, { as: merchant.user, body: { name: 'x' } }),
      404,
      'resource_missing',
    );
    expectError(
      await call('DELETE', `/v1/projects/${project.id}`, { as: merchant.user }),
      404,
      'resource_missing',
    );
    expect(await projectsOf(merchant.id, 'deleted_at is not null')).toBe(1);
  });

  it('when a project is deleted, then every one of its keys is revoked', async () => {
    const merchant = await signUpMerchant(call);
    const project = await createProject(call, merchant);
    const kept = await createProject(call, merchant, 'Kept');
    await createApiKey(call, merchant, project.id, 'test');
    await createApiKey(call, merchant, project.id, 'live');
    await createApiKey(call, merchant, kept.id, 'test');

    await call('DELETE', `/v1/projects/${project.id}`, { as: merchant.user });

    const keys = (where: string) => countRows(service.databaseUrl, 'merchants.api_keys', where);
    expect(await keys(`project_id = '${project.id}' and revoked_at is not null`)).toBe(2);
    expect(await keys(`project_id = '${kept.id}' and revoked_at is null`)).toBe(1);
  });

  it('when a project id does not exist, then 404 resource_missing', async () => {
    const merchant = await signUpMerchant(call);

    const response = await call('GET', '/v1/projects/prj_01aaaaaaaaaaaaaaaaaaaaaaaa', {
      as: merchant.user,
    });

    expectError(response, 404, 'resource_missing', 'id');
  });

  it('when a project id is malformed, then 400 names id', async () => {
    const merchant = await signUpMerchant(call);

    for (const method of ['GET', 'DELETE'] as const) {
      expectError(
        await call(method, '/v1/projects/not-a-project', { as: merchant.user }),
        400,
        'parameter_invalid',
        'id',
      );
    }
    expectError(
      await call('POST', '/v1/projects/not-a-project', { as: merchant.user, body: { name: 'x' } }),
      400,
      'parameter_invalid',
      'id',
    );
  });
});

describe("another merchant's projects", () => {
  it("when merchant B reads, renames or deletes A's project, then 404 and A's project is untouched", async () => {
    const a = await signUpMerchant(call);
    const b = await signUpMerchant(call);
    const project = await createProject(call, a, 'A private');

    const read = await call('GET', `/v1/projects/${project.id}`, { as: b.user });
    const rename = await call('POST', `/v1/projects/${project.id}`, {
      as: b.user,
      body: { name: 'Pwned' },
    });
    const remove = await call('DELETE', `/v1/projects/${project.id}`, { as: b.user });

    for (const response of [read, rename, remove]) expectError(response, 404, 'resource_missing');
    expect(await projectsOf(a.id, `name = 'A private' and deleted_at is null`)).toBe(1);
  });
});

describe('who may call the project routes', () => {
  const routes = [
    ['POST', '/v1/projects', { name: 'x' }],
    ['GET', '/v1/projects', undefined],
    ['GET', '/v1/projects/prj_01aaaaaaaaaaaaaaaaaaaaaaaa', undefined],
    ['POST', '/v1/projects/prj_01aaaaaaaaaaaaaaaaaaaaaaaa', { name: 'x' }],
    ['DELETE', '/v1/projects/prj_01aaaaaaaaaaaaaaaaaaaaaaaa', undefined],
  ] as const;

  itRefusesNonMerchants(call, routes);

  it('when a merchant user has no merchant record, then 404 and nothing is written', async () => {
    const before = await countRows(service.databaseUrl, 'merchants.projects');

    const response = await call('POST', '/v1/projects', {
      as: merchantUser(),
      body: { name: 'Orphan' },
    });

    expectError(response, 404, 'resource_missing');
    expect(await countRows(service.databaseUrl, 'merchants.projects')).toBe(before);
  });
});
