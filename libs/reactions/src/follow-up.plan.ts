import { addMonths, type CaseEvent } from '@keystone/cases';
import type { RecordedEvent } from '@keystone/event-store';

/** A job the log calls for: its id comes from the event and the purpose, so planning twice adds it once. */
export interface PlannedJob {
  readonly id: string;
  readonly name: 'report-overdue' | 'reminder' | 'notify';
  /** Business time at which it is due. */
  readonly dueAt: string;
  readonly data: FollowUpJobData;
}

export interface FollowUpJobData {
  readonly caseId: string;
  readonly purpose: string;
  /** Whom to tell, resolved against the case when the job runs. */
  readonly recipient: Recipient;
  readonly message: string;
  readonly deploymentId?: string;
  readonly dueAt: string;
  readonly causationId: string;
  readonly correlationId: string;
}

export type Recipient = 'committee-of-case' | 'focal-point-of-case' | 'case-officers';

export interface FollowUpSettings {
  /** Reminders before a progress report falls due, in days. */
  readonly reportReminderDays: readonly number[];
  readonly consentReminderDays: number;
  readonly screeningServiceDays: number;
  /** Months after a deployment starts when its State is due to report back at a platform session. */
  readonly reportBackMonths: number;
}

export const DEFAULT_FOLLOW_UP: FollowUpSettings = {
  reportReminderDays: [30, 7],
  consentReminderDays: 14,
  screeningServiceDays: 30,
  reportBackMonths: 24,
};

const DAY = 86_400_000;
/** How long before a report-back falls due its State is told, to register at a session in time. */
const REPORT_BACK_NOTICE_DAYS = 90;
const plus = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY).toISOString();

/** What follows from one case event: pure, so replaying the log plans exactly the same jobs. */
export function planFollowUps(recorded: RecordedEvent, settings: FollowUpSettings): PlannedJob[] {
  if (!recorded.streamId.startsWith('case-')) return [];
  const caseId = recorded.streamId.slice('case-'.length);
  const event = { type: recorded.type, data: recorded.data } as CaseEvent;
  const at = recorded.metadata.occurredAt;
  const job = (
    purpose: string,
    name: PlannedJob['name'],
    dueAt: string,
    recipient: Recipient,
    message: string,
    deploymentId?: string,
  ): PlannedJob => ({
    id: `${purpose}-${recorded.eventId}`,
    name,
    dueAt,
    data: {
      caseId,
      purpose,
      recipient,
      message,
      deploymentId,
      dueAt,
      causationId: recorded.eventId,
      correlationId: recorded.metadata.correlationId,
    },
  });
  switch (event.type) {
    case 'AssistanceRequested':
      return [
        job(
          'committee-new-request',
          'notify',
          at,
          'committee-of-case',
          `New request from ${event.data.state} to screen`,
        ),
        job(
          'consent-reminder',
          'reminder',
          plus(at, settings.consentReminderDays),
          'focal-point-of-case',
          `Consent for case ${caseId} is still pending`,
        ),
        job(
          'consent-reminder-officers',
          'reminder',
          plus(at, settings.consentReminderDays),
          'case-officers',
          `Consent for case ${caseId} is still pending`,
        ),
      ];
    case 'RequestAmended':
      return [
        job(
          'committee-amended-request',
          'notify',
          at,
          'committee-of-case',
          `Request ${caseId} was amended`,
        ),
      ];
    case 'ConsentConfirmed':
      return [
        job(
          'screening-reminder',
          'reminder',
          plus(at, settings.screeningServiceDays),
          'committee-of-case',
          `Request ${caseId} has waited ${settings.screeningServiceDays} days for screening`,
        ),
      ];
    case 'OfferMade':
      return [
        job(
          'offer-received',
          'notify',
          at,
          'focal-point-of-case',
          `An offer was made on request ${caseId}: ${event.data.offered}`,
        ),
      ];
    case 'ExpertDeployed': {
      const { deploymentId, reportDueAt, startDate } = event.data;
      const reportBackDue = addMonths(new Date(startDate), settings.reportBackMonths).toISOString();
      return [
        // The platform's report-back: the State presents its progress at a later session.
        job(
          'report-back-reminder',
          'reminder',
          plus(reportBackDue, -REPORT_BACK_NOTICE_DAYS),
          'focal-point-of-case',
          `A report-back on case ${caseId} at a platform session falls due on ${reportBackDue.slice(0, 10)}: register it at the next session`,
          deploymentId,
        ),
        job(
          'report-back-due',
          'reminder',
          reportBackDue,
          'case-officers',
          `The report-back on case ${caseId} falls due today (${settings.reportBackMonths} months after its deployment)`,
          deploymentId,
        ),
        ...settings.reportReminderDays.map((days) =>
          job(
            `report-reminder-${days}d`,
            'reminder',
            plus(reportDueAt, -days),
            'focal-point-of-case',
            `A progress report on case ${caseId} is due in ${days} days`,
            deploymentId,
          ),
        ),
        job(
          'report-overdue',
          'report-overdue',
          reportDueAt,
          'case-officers',
          `The progress report on case ${caseId} is overdue`,
          deploymentId,
        ),
      ];
    }
    default:
      return [];
  }
}
