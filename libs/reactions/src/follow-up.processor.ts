import { UnrecoverableError, type Job } from 'bullmq';
import { caseDecider, caseStreamId, type CaseEvent, type CaseState } from '@keystone/cases';
import {
  deciderStep,
  DomainError,
  runCommand,
  type Clock,
  type CommandContext,
  type EventStore,
} from '@keystone/event-store';
import type { FollowUpJobData, Recipient } from './follow-up.plan';
import type { Notifier } from './notifications';

/** Refusals that mean the job has nothing left to do: the report came in, or the case closed. */
const SETTLED = new Set(['CASE.REPORT_NOT_OVERDUE', 'CASE.CLOSED']);

export type Outcome = 'done' | 'pointless';

/**
 * Runs one follow-up job: appends the overdue event through the normal command path (idempotent),
 * and sends a reminder only while it still has a point.
 */
export class FollowUpProcessor {
  constructor(
    private readonly store: EventStore,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
  ) {}

  async process(job: Pick<Job<FollowUpJobData>, 'id' | 'name' | 'data'>): Promise<Outcome> {
    const { data } = job;
    const state = await this.caseState(data.caseId);
    if (!state.exists) return 'pointless';
    if (job.name === 'report-overdue') {
      if (!(await this.recordOverdue(data))) return 'pointless';
    } else if (job.name === 'reminder' && !stillRelevant(data, state)) {
      return 'pointless';
    }
    await this.notifier.notify({
      id: String(job.id),
      recipient: address(data.recipient, state),
      kind: data.purpose,
      caseId: data.caseId,
      message: data.message,
      dueAt: data.dueAt,
      createdAt: this.clock.now().toISOString(),
    });
    return 'done';
  }

  /**
   * A job failed: if for good (a refusal it can never get past, or its last attempt), it stays in the
   * queue's failed set (the dead letters /health counts) and the case officers are told, once.
   * Returns whether it was dead-lettered.
   */
  async failed(
    job: Pick<Job<FollowUpJobData>, 'id' | 'name' | 'data' | 'attemptsMade' | 'opts'>,
    error: Error,
  ): Promise<boolean> {
    const final =
      error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final) await this.deadLettered(job, error.message);
    return final;
  }

  private async deadLettered(
    job: Pick<Job<FollowUpJobData>, 'id' | 'name' | 'data' | 'attemptsMade'>,
    reason: string,
  ): Promise<void> {
    await this.notifier.notify({
      id: `dead-letter:${String(job.id)}`,
      recipient: 'case-officer',
      kind: 'job-dead-lettered',
      caseId: job.data.caseId,
      message: `The follow-up job "${job.name}" (${job.data.purpose}) of this case failed for good after ${job.attemptsMade} attempt(s) and will not run again: ${reason}. Look at the case; the job is kept in the queue's failed set.`,
      dueAt: job.data.dueAt,
      createdAt: this.clock.now().toISOString(),
    });
  }

  private async recordOverdue(data: FollowUpJobData): Promise<boolean> {
    const context: CommandContext = {
      actor: 'keystone:follow-up',
      role: 'system',
      correlationId: data.correlationId,
      causationId: data.causationId,
      occurredAt: data.dueAt,
      now: this.clock.now().toISOString(),
    };
    try {
      await runCommand(this.store, context, [
        deciderStep(caseStreamId(data.caseId), caseDecider, {
          type: 'RecordReportOverdue',
          data: { deploymentId: data.deploymentId! },
          context,
        }),
      ]);
      return true;
    } catch (error) {
      // Recorded already: this is a retry after a crash between the append and the notification,
      // so the notification (idempotent by job id) must still go out.
      if (error instanceof DomainError && error.code === 'CASE.OVERDUE_ALREADY_RECORDED')
        return true;
      if (error instanceof DomainError && SETTLED.has(error.code)) return false;
      // Any other refusal is a rule the job can never meet (a retry decides the same): no more
      // attempts; the job is dead-lettered and the officers are told (deadLettered).
      if (error instanceof DomainError)
        throw new UnrecoverableError(`${error.code}: ${error.message}`);
      throw error;
    }
  }

  private async caseState(caseId: string): Promise<CaseState> {
    const events = await this.store.readStream(caseStreamId(caseId));
    return events.reduce(
      (s, e) =>
        caseDecider.evolve(s, { type: e.type, data: e.data } as CaseEvent, e.metadata.occurredAt),
      caseDecider.initialState(),
    );
  }
}

function stillRelevant(
  data: FollowUpJobData,
  state: Extract<CaseState, { exists: true }>,
): boolean {
  if (state.closed) return false;
  if (data.purpose.startsWith('report-reminder'))
    return !state.deployments[data.deploymentId ?? '']?.reported;
  if (data.purpose.startsWith('consent-reminder')) return state.consent === 'pending';
  if (data.purpose === 'screening-reminder')
    return state.screening === 'awaiting' && state.consent === 'given';
  return true;
}

function address(recipient: Recipient, openCase: Extract<CaseState, { exists: true }>): string {
  switch (recipient) {
    case 'committee-of-case':
      return `committee-member:${openCase.region}`;
    case 'focal-point-of-case':
      return `state-focal-point:${openCase.state}`;
    case 'case-officers':
      return 'case-officer';
  }
}
