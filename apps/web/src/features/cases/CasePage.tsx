import { useQuery } from '@tanstack/react-query';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { Link, useParams } from 'react-router';
import { api, answer } from '../../api/client';
import { Refusal } from '../common/Refusal';
import { ActionForm } from './actions';
import type { AllowedAction, CaseEvent, CaseView } from './views';

/**
 * One case: what was asked, where it stands, what the signed-in person may do now (the API's
 * allowed-actions answer, never re-decided here), and its history as a timeline.
 */
export function CasePage() {
  const { caseId = '' } = useParams();
  const intl = useIntl();
  const path = { params: { path: { id: caseId } } };
  const view = useQuery({
    queryKey: ['case', caseId],
    queryFn: () => answer<CaseView>(api.GET('/cases/{id}', path)),
  });
  const actions = useQuery({
    queryKey: ['case', caseId, 'actions'],
    queryFn: () => answer<AllowedAction[]>(api.GET('/cases/{id}/allowed-actions', path)),
  });
  const history = useQuery({
    queryKey: ['case', caseId, 'events'],
    queryFn: () => answer<CaseEvent[]>(api.GET('/cases/{id}/events', path)),
    retry: false,
  });
  if (view.error) return <Refusal error={view.error} />;
  if (!view.data)
    return (
      <p role="status">
        <FormattedMessage id="common.loading" />
      </p>
    );
  const { case: c, request } = view.data;
  const allowed = (actions.data ?? []).filter((a) => a.allowed);
  const notNow = (actions.data ?? []).filter((a) => !a.allowed && a.code !== 'ACCESS.DENIED');
  return (
    <article className="case">
      <h1>{request.description}</h1>
      <dl className="facts">
        <div>
          <dt>
            <FormattedMessage id="cases.state" />
          </dt>
          <dd>{view.data.stateName}</dd>
        </div>
        <div>
          <dt>
            <FormattedMessage id="cases.stage" />
          </dt>
          <dd data-testid="stage">{intl.formatMessage({ id: `stage.${view.data.stage}` })}</dd>
        </div>
        <div>
          <dt>
            <FormattedMessage id="cases.requestedAt" />
          </dt>
          <dd>
            <FormattedDate value={c.requestedAt} dateStyle="long" />
          </dd>
        </div>
        <div>
          <dt>
            <FormattedMessage id="request.themes" />
          </dt>
          <dd>
            {c.themes
              .map((t) => intl.formatMessage({ id: `theme.${t}`, defaultMessage: t }))
              .join(', ')}
          </dd>
        </div>
        {request.sdgTargets?.length ? (
          <div>
            <dt>
              <FormattedMessage id="cases.sdgTargets" />
            </dt>
            <dd>{request.sdgTargets.join(', ')}</dd>
          </div>
        ) : null}
        {request.notTiedToRecommendation ? (
          <div>
            <dt>
              <FormattedMessage id="cases.recommendations" />
            </dt>
            <dd>
              <FormattedMessage id="cases.notTied" />
            </dd>
          </div>
        ) : null}
        {request.sessionId ? (
          <div>
            <dt>
              <FormattedMessage id="sessions.atSession" />
            </dt>
            <dd>
              <Link to={`/sessions/${request.sessionId}`}>
                <FormattedMessage id="cases.openSession" />
              </Link>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>
            <FormattedMessage id="request.supportSought" />
          </dt>
          <dd>{request.supportSought}</dd>
        </div>
      </dl>
      {c.recommendations.length > 0 && (
        <>
          <h2>
            <FormattedMessage id="case.recommendations" />
          </h2>
          <ul>
            {c.recommendations.map((r) => (
              <li key={r.reference}>
                <strong>{r.reference}</strong> — {r.text}
              </li>
            ))}
          </ul>
        </>
      )}
      {(view.data.offers.length > 0 || !!view.data.otherOpenOffers) && (
        <>
          <h2>
            <FormattedMessage id="case.offers" />
          </h2>
          <ul className="offers">
            {view.data.offers.map((o) => (
              <li key={o.offerId} data-offer={o.offerId}>
                {o.provider.name}: {o.offered} —{' '}
                {intl.formatMessage({ id: `offer.${o.status}`, defaultMessage: o.status })}
              </li>
            ))}
          </ul>
          {!!view.data.otherOpenOffers && (
            <p>
              <FormattedMessage
                id="case.otherOffers"
                values={{ count: view.data.otherOpenOffers }}
              />
            </p>
          )}
        </>
      )}
      <section aria-labelledby="actions-title" className="actions">
        <h2 id="actions-title">
          <FormattedMessage id="case.actions" />
        </h2>
        {actions.error ? <Refusal error={actions.error} /> : null}
        {actions.data && allowed.length === 0 && (
          <p>
            <FormattedMessage id="case.nothingToDo" />
          </p>
        )}
        {allowed.map((a) => (
          <ActionForm
            key={`${a.action}:${a.offerId ?? ''}`}
            caseId={caseId}
            action={a}
            view={view.data}
          />
        ))}
        {notNow.length > 0 && (
          <details>
            <summary>
              <FormattedMessage id="case.notNow" />
            </summary>
            <ul>
              {notNow.map((a) => (
                <li key={`${a.action}:${a.offerId ?? ''}`}>
                  {intl.formatMessage({ id: `action.${a.action}` })}: <NotNowReason action={a} />
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>
      {history.data && <Timeline events={history.data} />}
    </article>
  );
}

function NotNowReason({ action }: { action: AllowedAction }) {
  const intl = useIntl();
  const id = `error.${action.code}`;
  return <>{intl.messages[id] ? intl.formatMessage({ id }) : action.reason}</>;
}

/** The case's events, oldest first: who did what, when it took effect, and when it was recorded. */
function Timeline({ events }: { events: CaseEvent[] }) {
  const intl = useIntl();
  const directory = useQuery({
    queryKey: ['directory'],
    queryFn: () => answer<{ personId: string; name: string }[]>(api.GET('/people/directory')),
    staleTime: 5 * 60_000,
  });
  const nameOf = (actor: string) =>
    directory.data?.find((p) => p.personId === actor)?.name ?? actor;
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">
        <FormattedMessage id="case.history" />
      </h2>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.eventId} data-type={e.type}>
            <p className="what">
              {intl.formatMessage({ id: `event.${e.type}`, defaultMessage: e.type })}
            </p>
            <p className="who">
              <FormattedMessage
                id="case.byWhom"
                values={{
                  actor: nameOf(e.metadata.actor),
                  role: intl.formatMessage({
                    id: `role.${e.metadata.role}`,
                    defaultMessage: e.metadata.role,
                  }),
                }}
              />
            </p>
            <p className="when">
              <FormattedMessage
                id="case.when"
                values={{
                  effective: intl.formatDate(e.metadata.occurredAt, { dateStyle: 'medium' }),
                  recorded: intl.formatDate(e.metadata.recordedAt, {
                    dateStyle: 'medium',
                    timeStyle: 'short',
                  }),
                }}
              />
            </p>
            {Array.isArray(e.data.reasons) && (e.data.reasons as string[]).length > 0 && (
              <p className="reasons">{(e.data.reasons as string[]).join(' · ')}</p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
