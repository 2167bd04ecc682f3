import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response } from 'express';
import type { Queue } from 'bullmq';
import {
  SESSION_RESOLVER,
  sessionTokenOf,
  TOKEN_VERIFIER,
  type SessionResolver,
  type TokenVerifier,
} from '@keystone/access';
import { DomainError } from '@keystone/event-store';
import { FOLLOW_UP_QUEUE, MAIL_QUEUE, WEBHOOK_QUEUE } from '@keystone/reactions';
import { toHttpError } from './error.filter';

export const DASHBOARD_PATH = '/admin/queues';

/** The BullMQ dashboard (bull-board), for admins only: a bearer token or a session with the admin role. */
export function mountQueueDashboard(app: INestApplication): void {
  const board = new ExpressAdapter();
  board.setBasePath(DASHBOARD_PATH);
  const followUp = app.get<Queue>(getQueueToken(FOLLOW_UP_QUEUE));
  const queues = [
    followUp,
    app.get<Queue>(getQueueToken(WEBHOOK_QUEUE)),
    app.get<Queue>(getQueueToken(MAIL_QUEUE)),
  ].map((queue) => new BullMQAdapter(queue));
  createBullBoard({ queues, serverAdapter: board });
  // bull-board waits on Redis without end while it is away: answer at once instead.
  const redisReady = async (_req: Request, res: Response, next: NextFunction) => {
    const ready = await Promise.race([
      followUp.client.then((client) => client.status === 'ready'),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 500).unref()),
    ]).catch(() => false);
    if (ready) return next();
    res.setHeader('Retry-After', '10');
    res.status(503).json({
      code: 'QUEUES.UNAVAILABLE',
      message:
        'The queues are in Redis, which does not answer now; commands are still taken and the follow-up resumes when Redis is back. Retry shortly.',
      details: {},
    });
  };
  const verifier = app.get<TokenVerifier>(TOKEN_VERIFIER);
  const sessions = app.get<SessionResolver>(SESSION_RESOLVER);
  const adminsOnly = async (req: Request, res: Response, next: NextFunction) => {
    try {
      // An administrator signed in to the web app opens it from the people screen (its cookie).
      const session = sessionTokenOf(req.headers);
      const principal =
        !req.header('authorization') && session
          ? await sessions.principalOf(session)
          : await verifier.principalOf(req.header('authorization'));
      if (principal.role !== 'admin')
        throw new DomainError(
          'ACCESS.DENIED',
          'forbidden',
          `The queue dashboard is for admins; a ${principal.role} may not open it.`,
        );
      next();
    } catch (error) {
      const { status, body } = toHttpError(error);
      res.status(status).json(body);
    }
  };
  app.use(DASHBOARD_PATH, adminsOnly, redisReady, board.getRouter());
}
