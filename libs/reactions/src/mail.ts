import type { Job, Queue } from 'bullmq';
import { createTransport, type Transporter } from 'nodemailer';
import { composeMail, type Mail } from './mail-messages';
import type { Notification, Notifier } from './notifications';

export const MAIL_QUEUE = 'keystone-mail';

export interface MailSettings {
  readonly smtpUrl: string;
  readonly from: string;
  readonly publicUrl: string;
  readonly attempts: number;
}

/** Who stands behind an inbox address ('case-officer', 'committee-member:african', …), with their e-mail. */
export interface RecipientDirectory {
  peopleAt(
    address: string,
  ): Promise<{ personId: string; email: string; name: string; language: string }[]>;
}

/**
 * Notices by e-mail: one job per person behind the notice's address, in their language, on a queue
 * of its own (retried with backoff, dead-lettered like the webhook's), so a slow or absent mail
 * server never holds up the follow-up. Idempotent: a job's id is the notice's and the person's.
 */
export class EmailNotifier implements Notifier {
  constructor(
    private readonly queue: Queue,
    private readonly directory: RecipientDirectory,
    private readonly settings: MailSettings,
  ) {}

  async notify(notification: Notification): Promise<void> {
    for (const person of await this.directory.peopleAt(notification.recipient))
      await this.queue.add('send', composeMail(notification, person, this.settings.publicUrl), {
        jobId: `mail-${notification.id}-${person.personId}`,
        attempts: this.settings.attempts,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnFail: false,
      });
  }
}

/** One delivery attempt; a refusal or an unreachable server throws, so BullMQ tries again. */
export async function sendMail(
  job: Pick<Job<Mail>, 'data'>,
  transport: Transporter,
  from: string,
): Promise<string> {
  const sent = await transport.sendMail({ from, ...job.data });
  return sent.messageId;
}

export const mailTransport = (settings: MailSettings): Transporter =>
  createTransport(settings.smtpUrl);
