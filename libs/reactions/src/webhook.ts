import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Job, Queue } from 'bullmq';
import type { Notification, Notifier } from './notifications';

export const WEBHOOK_QUEUE = 'keystone-webhooks';

export interface WebhookSettings {
  readonly url: string;
  readonly secret: string;
  /** Tries before a delivery is dead-lettered (left in the queue's failed set, counted in health). */
  readonly attempts: number;
  /** First retry after this many ms, doubling each time. */
  readonly backoffMs: number;
}

/** The signature a receiver checks: hex HMAC-SHA256 of the exact body, with the shared secret. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export function signatureHolds(body: string, secret: string, header: string | undefined): boolean {
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Hands each notification to the webhook queue, once per notification id; BullMQ retries with backoff. */
export class WebhookNotifier implements Notifier {
  constructor(
    private readonly queue: Queue,
    private readonly settings: WebhookSettings,
  ) {}

  async notify(notification: Notification): Promise<void> {
    await this.queue.add('deliver', notification, {
      jobId: `webhook-${notification.id}`,
      attempts: this.settings.attempts,
      backoff: { type: 'exponential', delay: this.settings.backoffMs },
      removeOnFail: false,
    });
  }
}

/** One delivery attempt: POST the JSON, signed; anything but 2xx throws, so BullMQ tries again. */
export async function deliver(
  job: Pick<Job<Notification>, 'data' | 'id' | 'attemptsMade'>,
  settings: WebhookSettings,
): Promise<number> {
  const body = JSON.stringify(job.data);
  const response = await fetch(settings.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-keystone-signature': signBody(body, settings.secret),
      'x-keystone-delivery': String(job.id),
      'x-keystone-attempt': String(job.attemptsMade + 1),
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`webhook answered ${response.status}`);
  return response.status;
}

/** Several notifiers at once: the inbox always, a webhook when one is configured. */
export class FanOutNotifier implements Notifier {
  constructor(private readonly notifiers: readonly Notifier[]) {}

  async notify(notification: Notification): Promise<void> {
    for (const notifier of this.notifiers) await notifier.notify(notification);
  }
}
