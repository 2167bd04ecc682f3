import { useQuery } from '@tanstack/react-query';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { Link } from 'react-router';
import { api, answer, readYourWrites } from '../../api/client';
import { useMe } from '../auth/session';
import { Refusal } from '../common/Refusal';
import type { CaseList } from '../cases/views';

interface Notice {
  id: string;
  kind: string;
  caseId: string;
  message: string;
  dueAt: string;
}

/** A notice in the person's language, by its kind; the English message when the kind is new. */
function useNoticeText() {
  const intl = useIntl();
  return (notice: Notice) => {
    const days = /-(\d+)d$/.exec(notice.kind)?.[1];
    const id = `notice.${notice.kind.replace(/-\d+d$/, '').replace(/-officers$/, '')}`;
    return intl.messages[id]
      ? intl.formatMessage({ id }, { days: Number(days ?? 0) })
      : notice.message;
  };
}

/**
 * What falls to the signed-in person: the notices of their inbox (reminders, new requests, offers
 * received, overdue reports), and for a State's focal point the progress reports falling due, soonest
 * first.
 */
export function InboxPage() {
  const { data: me } = useMe();
  const text = useNoticeText();
  const inbox = useQuery({
    queryKey: ['notifications'],
    queryFn: () => answer<{ notifications: Notice[] }>(api.GET('/notifications')),
  });
  const due = useQuery({
    queryKey: ['cases', 'due', me?.state],
    enabled: me?.role === 'state-focal-point',
    queryFn: () =>
      answer<CaseList>(
        api.GET('/cases', {
          params: {
            query: { stage: 'deployed', limit: 200, waitForPosition: readYourWrites() } as never,
          },
        }),
      ),
  });
  const reports = (due.data?.items ?? [])
    .flatMap((c) =>
      (
        (
          c as unknown as {
            deployments: { deploymentId: string; reportDueAt: string; reportedAt: string | null }[];
          }
        ).deployments ?? []
      )
        .filter((d) => !d.reportedAt)
        .map((d) => ({ ...d, caseId: c.caseId, description: c.description })),
    )
    .sort((a, b) => a.reportDueAt.localeCompare(b.reportDueAt));
  return (
    <section>
      <h1>
        <FormattedMessage id="inbox.title" />
      </h1>
      {me?.role === 'state-focal-point' && (
        <>
          <h2>
            <FormattedMessage id="inbox.due" />
          </h2>
          {reports.length === 0 ? (
            <p>
              <FormattedMessage id="inbox.nothingDue" />
            </p>
          ) : (
            <ul className="notices">
              {reports.map((r) => (
                <li key={r.deploymentId}>
                  <FormattedMessage
                    id="inbox.reportDue"
                    values={{ when: <FormattedDate value={r.reportDueAt} dateStyle="long" /> }}
                  />{' '}
                  <Link to={`/cases/${r.caseId}`}>{r.description}</Link>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <h2>
        <FormattedMessage id="inbox.notices" />
      </h2>
      {inbox.error ? <Refusal error={inbox.error} /> : null}
      {inbox.data && inbox.data.notifications.length === 0 && (
        <p>
          <FormattedMessage id="inbox.empty" />
        </p>
      )}
      <ul className="notices">
        {[...(inbox.data?.notifications ?? [])].reverse().map((n) => (
          <li key={n.id} data-kind={n.kind}>
            <span className="when">
              <FormattedDate value={n.dueAt} dateStyle="medium" />
            </span>{' '}
            {text(n)}{' '}
            <Link to={`/cases/${n.caseId}`}>
              <FormattedMessage id="inbox.open" />
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
