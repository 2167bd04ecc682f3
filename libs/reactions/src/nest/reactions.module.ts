import {
  BullModule,
  getQueueToken,
  InjectQueue,
  OnWorkerEvent,
  Processor,
  WorkerHost,
} from '@nestjs/bullmq';
import {
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { CLOCK, EVENT_STORE, PollLoop, type Clock, type EventStore } from '@keystone/event-store';
import { READ_MODEL_DB, type SqlDatabase } from '@keystone/sql';
import { NotificationsHttpController } from '../api/notifications.http.controller';
import type { FollowUpJobData, FollowUpSettings } from '../follow-up.plan';
import { FollowUpProcessor } from '../follow-up.processor';
import { FOLLOW_UP_QUEUE, FollowUpReactor, promoteDue } from '../follow-up.reactor';
import { InboxNotifier, type Notification, type Notifier } from '../notifications';
import {
  EmailNotifier,
  MAIL_QUEUE,
  mailTransport,
  sendMail,
  type MailSettings,
  type RecipientDirectory,
} from '../mail';
import type { Mail } from '../mail-messages';
import type { Transporter } from 'nodemailer';
import {
  deliver,
  FanOutNotifier,
  WEBHOOK_QUEUE,
  WebhookNotifier,
  type WebhookSettings,
} from '../webhook';

export interface ReactionsOptions {
  readonly redisUrl: string;
  /** Keeps queues of several Keystones (or test runs) apart on one Redis. */
  readonly prefix: string;
  /** Follow the log and schedule jobs. */
  readonly runReactors: boolean;
  /** Run the jobs. */
  readonly runProcessors: boolean;
  /** Serve GET /notifications. */
  readonly http: boolean;
  /** Also deliver every notification to this webhook. */
  readonly webhook?: WebhookSettings;
  /** Also send every notice by e-mail to the people behind its address. */
  readonly mail?: MailSettings;
  /** Who stands behind an address (the people context's accounts): needed with `mail`. */
  readonly directory?: (store: EventStore, clock: Clock) => RecipientDirectory;
  readonly followUp?: FollowUpSettings;
}

export const REACTIONS_OPTIONS = Symbol('REACTIONS_OPTIONS');

export interface QueueStatus {
  readonly reactorPosition: number;
  readonly reactorError?: string;
  readonly followUp?: Record<string, number | null>;
  readonly followUpDeadLetters?: number;
  /** Webhook deliveries that failed their last try. */
  readonly webhookDeadLetters?: number;
}

@Processor(WEBHOOK_QUEUE, { concurrency: 4 })
class WebhookWorker extends WorkerHost {
  constructor(@Inject(REACTIONS_OPTIONS) private readonly options: ReactionsOptions) {
    super();
  }

  process(job: Job<Notification>): Promise<number> {
    return deliver(job, this.options.webhook!);
  }
}

@Processor(MAIL_QUEUE, { concurrency: 2 })
class MailWorker extends WorkerHost implements OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(@Inject(REACTIONS_OPTIONS) private readonly options: ReactionsOptions) {
    super();
    this.transport = mailTransport(options.mail!);
  }

  process(job: Job<Mail>): Promise<string> {
    return sendMail(job, this.transport, this.options.mail!.from);
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}

@Processor(FOLLOW_UP_QUEUE, { concurrency: 4, lockDuration: 10_000, stalledInterval: 5_000 })
class FollowUpWorker extends WorkerHost {
  private readonly logger = new Logger('Keystone follow-up');

  constructor(private readonly processor: FollowUpProcessor) {
    super();
  }

  process(job: Job<FollowUpJobData>): Promise<string> {
    return this.processor.process(job);
  }

  /** The last failure of a job (no attempt left, or a refusal it can never get past): dead-lettered. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<FollowUpJobData> | undefined, error: Error): Promise<void> {
    if (!job) return;
    await this.processor
      .failed(job, error)
      .then(
        (dead) =>
          dead && this.logger.warn(`follow-up job ${job.id} dead-lettered: ${error.message}`),
      )
      .catch((e: Error) => this.logger.error(`could not tell the officers: ${e.message}`));
  }
}

/** Keeps the reactor following the log, and promotes jobs due by the (injectable) clock. */
@Injectable()
export class ReactorLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Keystone reactions');
  private readonly loop: PollLoop;
  readonly reactor: FollowUpReactor;

  constructor(
    @Inject(READ_MODEL_DB) db: SqlDatabase,
    @Inject(EVENT_STORE) store: EventStore,
    @InjectQueue(FOLLOW_UP_QUEUE) readonly queue: Queue,
    @InjectQueue(WEBHOOK_QUEUE) private readonly webhooks: Queue,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REACTIONS_OPTIONS) private readonly options: ReactionsOptions,
  ) {
    this.reactor = new FollowUpReactor(db, store, queue, clock, options.followUp);
    this.loop = new PollLoop(() => this.step(), {
      pollIntervalMs: 200,
      errorIntervalMs: 1_000,
      onErrorChange: (error) =>
        error === null
          ? this.logger.log('Redis is back: the reactor goes on from its checkpoint')
          : this.logger.warn(`reactor paused: ${error}`),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.reactor.init();
    if (this.options.runReactors) this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    // A step waiting for Redis is abandoned, not awaited: its checkpoint never moved, so nothing is lost.
    await this.loop.stop(2_000);
  }

  get error(): string | undefined {
    return this.loop.error;
  }

  /** For GET /health: queue depth, failures, the oldest waiting job, and where the reactor is. */
  async status(): Promise<QueueStatus> {
    const position = await this.reactor.position();
    const client = await this.queue.client;
    if (client.status !== 'ready')
      return {
        reactorPosition: position,
        reactorError: this.loop.error ?? `Redis is ${client.status}`,
      };
    const counts = await this.queue.getJobCounts(
      'waiting',
      'delayed',
      'active',
      'failed',
      'completed',
    );
    const [oldest] = await this.queue.getJobs(['waiting'], 0, 0, true);
    return {
      reactorPosition: position,
      ...(this.loop.error ? { reactorError: this.loop.error } : {}),
      followUp: {
        ...counts,
        oldestWaitingSeconds: oldest ? Math.round((Date.now() - oldest.timestamp) / 1000) : null,
      },
      // Jobs that failed for good: the officers were told; each waits in the failed set.
      followUpDeadLetters: counts.failed ?? 0,
      ...(this.options.webhook
        ? { webhookDeadLetters: (await this.webhooks.getJobCounts('failed')).failed }
        : {}),
    };
  }

  private async step(): Promise<number> {
    const client = await this.queue.client;
    if (client.status !== 'ready') throw new Error(`Redis is ${client.status}`);
    const worked = await this.reactor.step();
    await promoteDue(this.queue, this.clock);
    return worked;
  }
}

/** The part of Keystone's configuration the reactions read (KeystoneConfig has it). */
export interface ReactionsConfig {
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly followUp: FollowUpSettings;
  readonly webhook: WebhookSettings | null;
  readonly mail: MailSettings | null;
  readonly roles: { readonly reactors: boolean; readonly processors: boolean };
}

@Module({})
export class ReactionsModule {
  /** The reactions as a process's configuration and roles say; `http` serves GET /notifications. */
  static forConfig(
    config: ReactionsConfig,
    http: boolean,
    directory?: ReactionsOptions['directory'],
  ): DynamicModule {
    return ReactionsModule.forRoot({
      redisUrl: config.redisUrl,
      prefix: config.queuePrefix,
      followUp: config.followUp,
      ...(config.webhook ? { webhook: config.webhook } : {}),
      ...(config.mail ? { mail: config.mail } : {}),
      ...(directory ? { directory } : {}),
      runReactors: config.roles.reactors,
      runProcessors: config.roles.processors,
      http,
    });
  }

  static forRoot(options: ReactionsOptions): DynamicModule {
    return {
      module: ReactionsModule,
      imports: [
        BullModule.forRoot({
          prefix: options.prefix,
          // Commands wait for Redis instead of failing, so an outage pauses the reactor, losing nothing.
          connection: {
            url: options.redisUrl,
            maxRetriesPerRequest: null,
            retryStrategy: (attempt: number) => Math.min(attempt * 500, 5_000),
          },
        }),
        BullModule.registerQueue(
          { name: FOLLOW_UP_QUEUE },
          { name: WEBHOOK_QUEUE },
          { name: MAIL_QUEUE },
        ),
      ],
      controllers: options.http ? [NotificationsHttpController] : [],
      providers: [
        { provide: REACTIONS_OPTIONS, useValue: options },
        {
          provide: InboxNotifier,
          useFactory: (db: SqlDatabase) => new InboxNotifier(db),
          inject: [READ_MODEL_DB],
        },
        {
          provide: FollowUpProcessor,
          useFactory: (
            store: EventStore,
            inbox: InboxNotifier,
            clock: Clock,
            webhooks: Queue,
            mails: Queue,
          ) => {
            const notifiers: Notifier[] = [inbox];
            if (options.webhook) notifiers.push(new WebhookNotifier(webhooks, options.webhook));
            if (options.mail && options.directory)
              notifiers.push(
                new EmailNotifier(mails, options.directory(store, clock), options.mail),
              );
            return new FollowUpProcessor(
              store,
              notifiers.length === 1 ? inbox : new FanOutNotifier(notifiers),
              clock,
            );
          },
          inject: [
            EVENT_STORE,
            InboxNotifier,
            CLOCK,
            getQueueToken(WEBHOOK_QUEUE),
            getQueueToken(MAIL_QUEUE),
          ],
        },
        ReactorLoop,
        ...(options.runProcessors ? [FollowUpWorker] : []),
        ...(options.runProcessors && options.webhook ? [WebhookWorker] : []),
        ...(options.runProcessors && options.mail ? [MailWorker] : []),
      ],
      exports: [ReactorLoop, InboxNotifier],
    };
  }
}
