import { mailboxQuerySchema } from '@expe/contracts';
import { parseInput } from '@expe/server-kit';
import express, { type Router } from 'express';
import type { AuthContext } from '../domain/context.js';
import { listMails } from '../domain/list-mails.js';
import { toMailResource } from '../domain/resources.js';

/** Mounted only while the dev mailbox is on; otherwise the path is an unknown route. */
export function createMailboxRouter(ctx: AuthContext): Router {
  const router = express.Router();
  router.get('/v1/dev/mailbox', async (req, res) => {
    const query = parseInput(mailboxQuerySchema, req.query);
    const { mails, hasMore } = await listMails(ctx, query);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ object: 'list', data: mails.map(toMailResource), has_more: hasMore });
  });
  return router;
}
