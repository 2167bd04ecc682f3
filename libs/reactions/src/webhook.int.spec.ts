import { createServer, type Server } from 'node:http';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { testRedisUrl, uniqueSchema } from '../../../test/support/test-env';
import type { Notification } from './notifications';
import { deliver, signatureHolds, WebhookNotifier, type WebhookSettings } from './webhook';

/** The webhook adapter against a real HTTP receiver on loopback and a real BullMQ on the test Redis. */
describe('the webhook notifier', () => {
  const secret = 'webhook-secret-of-the-receiver';
  let server: Server;
  let url = '';
  let answers: number[] = [];
  const received: {
    body: string;
    signed: boolean;
    delivery: string;
    attempt: string;
    status: number;
  }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const status = answers.shift() ?? 200;
        received.push({
          body,
          signed: signatureHolds(body, secret, req.headers['x-keystone-signature'] as string),
          delivery: String(req.headers['x-keystone-delivery']),
          attempt: String(req.headers['x-keystone-attempt']),
          status,
        });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/keystone`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  async function withQueue(
    settings: WebhookSettings,
    run: (notifier: WebhookNotifier, queue: Queue, events: QueueEvents) => Promise<void>,
  ) {
    const connection = { url: testRedisUrl() };
    const name = uniqueSchema('webhook');
    const queue = new Queue(name, { connection });
    const events = new QueueEvents(name, { connection });
    const worker = new Worker(name, (job) => deliver(job, settings), { connection });
    await Promise.all([worker.waitUntilReady(), events.waitUntilReady()]);
    try {
      await run(new WebhookNotifier(queue, settings), queue, events);
    } finally {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }

  const notification = (id: string): Notification => ({
    id,
    recipient: 'case-officer',
    kind: 'report-overdue',
    caseId: 'c1',
    message: 'The progress report is overdue',
    dueAt: '2027-01-01T00:00:00.000Z',
    createdAt: '2027-01-01T00:00:01.000Z',
  });
  const completed = (events: QueueEvents, jobId: string) =>
    new Promise<'completed'>((resolve) =>
      events.on('completed', ({ jobId: id }) => id === jobId && resolve('completed')),
    );

  it('signs the JSON it posts, retries on 500, and delivers once', async () => {
    received.length = 0;
    answers = [500, 500, 200];
    await withQueue(
      { url, secret, attempts: 4, backoffMs: 50 },
      async (notifier, queue, events) => {
        const done = completed(events, 'webhook-n1');
        await notifier.notify(notification('n1'));
        await notifier.notify(notification('n1')); // the same notification again: one delivery job
        expect(await done).toBe('completed');
        expect(await queue.getJobCounts('failed', 'completed')).toEqual({
          failed: 0,
          completed: 1,
        });
      },
    );
    expect(received.map((r) => [r.status, r.attempt, r.delivery, r.signed])).toEqual([
      [500, '1', 'webhook-n1', true],
      [500, '2', 'webhook-n1', true],
      [200, '3', 'webhook-n1', true],
    ]);
    expect(JSON.parse(received[2].body)).toEqual(notification('n1'));
  });

  it('dead-letters a delivery after its last try, visible as a failed job', async () => {
    received.length = 0;
    answers = [500, 500, 500];
    await withQueue({ url, secret, attempts: 3, backoffMs: 50 }, async (notifier, queue) => {
      await notifier.notify(notification('n2'));
      for (let i = 0; i < 200 && (await queue.getJobCounts('failed')).failed === 0; i++)
        await new Promise((r) => setTimeout(r, 25));
      const [dead] = await queue.getFailed();
      expect(dead).toMatchObject({
        id: 'webhook-n2',
        attemptsMade: 3,
        failedReason: 'webhook answered 500',
      });
    });
    expect(received).toHaveLength(3);
    expect(received.every((r) => r.signed)).toBe(true);
  });

  it('tells a forged signature from a real one', () => {
    const body = JSON.stringify(notification('n3'));
    expect(signatureHolds(body, secret, 'sha256=' + '0'.repeat(64))).toBe(false);
    expect(signatureHolds(body, 'another-secret', undefined)).toBe(false);
  });
});
