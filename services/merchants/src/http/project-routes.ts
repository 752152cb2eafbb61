import express, { type Router } from 'express';
import {
  createProjectInputSchema,
  projectIdParamsSchema,
  updateProjectInputSchema,
} from '@expe/contracts';
import {
  parseInput,
  parseListQuery,
  postRoute,
  requireUser,
  toListResource,
} from '@expe/server-kit';
import { createProject } from '../domain/create-project.js';
import { deleteProject } from '../domain/delete-project.js';
import { getMerchantOfUser } from '../domain/get-merchant.js';
import { getProject } from '../domain/get-project.js';
import { listProjects } from '../domain/list-projects.js';
import { renameProject } from '../domain/rename-project.js';
import { merchantRole, type RouteDeps } from './route-deps.js';
import { toDeletedProjectResource, toProjectResource } from '../domain/resources.js';

export function projectRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  const { db, config } = deps;

  postRoute(router, '/v1/projects', {
    parse: (req, res) => ({
      user: requireUser(res, merchantRole),
      input: parseInput(createProjectInputSchema, req.body),
    }),
    run: async (tx, { user, input }) => {
      const merchant = await getMerchantOfUser(tx, user.userId);
      const project = await createProject(tx, merchant.id, input, {
        maxProjects: config.MAX_PROJECTS_PER_MERCHANT,
      });
      return { status: 201, body: toProjectResource(project) };
    },
  });

  router.get('/v1/projects', async (req, res) => {
    const user = requireUser(res, merchantRole);
    const page = parseListQuery('prj', req.query);
    const merchant = await getMerchantOfUser(db, user.userId);
    res.json(toListResource(await listProjects(db, merchant.id, page), toProjectResource));
  });

  router.get('/v1/projects/:id', async (req, res) => {
    const user = requireUser(res, merchantRole);
    const { id } = parseInput(projectIdParamsSchema, req.params);
    const merchant = await getMerchantOfUser(db, user.userId);
    res.json(toProjectResource(await getProject(db, merchant.id, id)));
  });

  postRoute(router, '/v1/projects/:id', {
    parse: (req, res) => ({
      user: requireUser(res, merchantRole),
      id: parseInput(projectIdParamsSchema, req.params).id,
      input: parseInput(updateProjectInputSchema, req.body),
    }),
    run: async (tx, { user, id, input }) => {
      const merchant = await getMerchantOfUser(tx, user.userId);
      return {
        status: 200,
        body: toProjectResource(await renameProject(tx, merchant.id, id, input)),
      };
    },
  });

  router.delete('/v1/projects/:id', async (req, res) => {
    const user = requireUser(res, merchantRole);
    const { id } = parseInput(projectIdParamsSchema, req.params);
    const merchant = await getMerchantOfUser(db, user.userId);
    const project = await deleteProject(db, merchant.id, id);
    await deps.announce({ kind: 'project', ids: [project.id], reason: 'project_deleted' });
    res.json(toDeletedProjectResource(project));
  });

  return router;
}
