import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useIntl } from 'react-intl';
import { Link, useParams } from 'react-router';
import { api, answer, readYourWrites, wrote } from '../../api/client';
import { useMe } from '../auth/session';
import { FormRefusal, Submit, TextArea, TitledForm } from '../common/Field';
import { Refusal } from '../common/Refusal';
import { Day, type SessionSummary } from './SessionsPage';

interface Presentation {
  presentationId: string;
  state: string;
  stateName: string;
  kind: 'presentation' | 'report-back';
  achievements: string;
  challenges: string;
  goodPractices: string;
  lessonsLearnt: string;
  caseIds: string[];
}
interface Session extends Omit<SessionSummary, 'presentations'> {
  coHosts: { kind: string; name: string }[];
  presentations: Presentation[];
  outcome: { summary: string } | null;
  requestsLodged: {
    caseId: string;
    stateName: string;
    ldc: boolean;
    sids: boolean;
    stage: string;
  }[];
  offersPledged: {
    caseId: string;
    offerId: string;
    providers: { name: string; direction: string }[];
    status: string;
  }[];
  outcomeFigures: {
    requests: { total: number; ldc: number; sids: number; matchedWithin90Days: number };
    offers: {
      total: number;
      joint: number;
      matched: number;
      matchedWithin90Days: number;
      byDirection: Record<string, number>;
    };
    presentations: number;
    reportBacks: number;
    statesPresenting: string[];
  };
}

const NEXT: Partial<Record<Session['status'], ['registration' | 'held' | 'outcome', string]>> = {
  planned: ['registration', 'sessions.openRegistration'],
  'registration-open': ['held', 'sessions.recordHeld'],
  held: ['outcome', 'sessions.publishOutcome'],
};

/**
 * One session as its participants see it: the programme, who presents (and who reports back), the
 * requests lodged and the offers pledged there, and what it produced, in figures. An officer moves
 * it on; a State's focal point registers its presentation while registration is open.
 */
export function SessionPage() {
  const { sessionId = '' } = useParams();
  const intl = useIntl();
  const t = (id: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id }, values);
  const { data: me } = useMe();
  const session = useQuery({
    queryKey: ['session', sessionId],
    queryFn: () =>
      answer<Session>(
        api.GET('/sessions/{id}', {
          params: {
            path: { id: sessionId },
            query: { waitForPosition: readYourWrites() } as never,
          },
        }),
      ),
  });
  const s = session.data;
  if (session.error) return <Refusal error={session.error} />;
  if (!s) return null;
  const f = s.outcomeFigures;
  return (
    <article>
      <p>
        <Link to="/sessions">{t('sessions.all')}</Link>
      </p>
      <h1>{s.title}</h1>
      <dl className="facts">
        <div>
          <dt>{t('sessions.dates')}</dt>
          <dd>
            <Day value={s.startDate} /> – <Day value={s.endDate} />
          </dd>
        </div>
        <div>
          <dt>{t('sessions.venue')}</dt>
          <dd>
            {t(`venue.${s.venue.mode}`)}
            {s.venue.place ? `, ${s.venue.place}` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('sessions.status')}</dt>
          <dd data-testid="session-status">{t(`sessionStatus.${s.status}`)}</dd>
        </div>
        <div>
          <dt>{t('sessions.themes')}</dt>
          <dd>
            {s.themes
              .map((theme) => intl.formatMessage({ id: `theme.${theme}`, defaultMessage: theme }))
              .join(', ')}
          </dd>
        </div>
        {s.coHosts.length > 0 && (
          <div>
            <dt>{t('sessions.coHosts')}</dt>
            <dd>{s.coHosts.map((h) => h.name).join(', ')}</dd>
          </div>
        )}
      </dl>
      {me?.role === 'case-officer' && NEXT[s.status] && (
        <NextStep sessionId={sessionId} status={s.status} />
      )}
      {s.outcome && (
        <>
          <h2>{t('sessions.outcome')}</h2>
          <p>{s.outcome.summary}</p>
        </>
      )}

      <h2 id="figures-title">{t('sessions.figures')}</h2>
      <dl className="facts" aria-labelledby="figures-title" data-testid="session-figures">
        {(
          [
            ['requests', f.requests.total],
            ['requestsLdc', f.requests.ldc],
            ['requestsSids', f.requests.sids],
            ['requestsMatched90', f.requests.matchedWithin90Days],
            ['pledges', f.offers.total],
            ['jointPledges', f.offers.joint],
            ['pledgesMatched90', f.offers.matchedWithin90Days],
            ['statesPresenting', f.statesPresenting.length],
            ['reportBacks', f.reportBacks],
          ] as const
        ).map(([key, value]) => (
          <div key={key} data-figure={key}>
            <dt>{t(`sessions.figure.${key}`)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>

      <h2>{t('sessions.presentationsTitle')}</h2>
      {s.presentations.length === 0 ? (
        <p>{t('sessions.noPresentations')}</p>
      ) : (
        <ul className="presentations">
          {s.presentations.map((p) => (
            <li key={p.presentationId}>
              <h3>
                {p.stateName} — {t(`presentationKind.${p.kind}`)}
              </h3>
              {(['achievements', 'challenges', 'goodPractices', 'lessonsLearnt'] as const)
                .filter((k) => p[k])
                .map((k) => (
                  <p key={k}>
                    <strong>{t(`presentation.${k}`)}:</strong> {p[k]}
                  </p>
                ))}
            </li>
          ))}
        </ul>
      )}
      {s.status === 'registration-open' &&
        (me?.role === 'state-focal-point' || me?.role === 'case-officer') && (
          <PresentationForm sessionId={sessionId} state={me.state ?? ''} />
        )}

      <h2>{t('sessions.requestsLodged')}</h2>
      {s.requestsLodged.length === 0 ? (
        <p>{t('sessions.noRequests')}</p>
      ) : (
        <ul>
          {s.requestsLodged.map((r) => (
            <li key={r.caseId}>
              <Link to={`/cases/${r.caseId}`}>{r.stateName}</Link>{' '}
              {r.ldc ? <abbr title={t('sessions.ldcLong')}>LDC</abbr> : null}{' '}
              {r.sids ? <abbr title={t('sessions.sidsLong')}>SIDS</abbr> : null}{' '}
              <span className={`stage stage-${r.stage}`}>{t(`stage.${r.stage}`)}</span>
            </li>
          ))}
        </ul>
      )}
      {s.offersPledged.length > 0 && (
        <>
          <h2>{t('sessions.offersPledged')}</h2>
          <ul>
            {s.offersPledged.map((o) => (
              <li key={o.offerId}>
                {o.providers.map((p) => p.name).join(' & ')} →{' '}
                <Link to={`/cases/${o.caseId}`}>{t('inbox.open')}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

function NextStep({ sessionId, status }: { sessionId: string; status: Session['status'] }) {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const client = useQueryClient();
  const [summary, setSummary] = useState('');
  const [step, label] = NEXT[status]!;
  const move = useMutation({
    mutationFn: () => {
      const path = { params: { path: { id: sessionId } } };
      if (step === 'registration')
        return answer(api.POST('/sessions/{id}/registration', { ...path, body: {} }));
      if (step === 'held') return answer(api.POST('/sessions/{id}/held', { ...path, body: {} }));
      return answer(api.POST('/sessions/{id}/outcome', { ...path, body: { summary } }));
    },
    onSuccess: async (reply) => {
      wrote(reply);
      await client.invalidateQueries({ queryKey: ['session', sessionId] });
    },
  });
  return (
    <form
      className="narrow"
      aria-label={t(label)}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        move.mutate();
      }}
    >
      {step === 'outcome' && (
        <TextArea
          name="summary"
          label={t('sessions.outcomeSummary')}
          error={move.error}
          value={summary}
          onChange={setSummary}
        />
      )}
      <FormRefusal error={move.error} />
      <Submit busy={move.isPending} label={t(label)} />
    </form>
  );
}

function PresentationForm({ sessionId, state: own }: { sessionId: string; state: string }) {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const client = useQueryClient();
  const [state, setState] = useState(own);
  const [kind, setKind] = useState<'presentation' | 'report-back'>('presentation');
  const [text, setText] = useState({
    achievements: '',
    challenges: '',
    goodPractices: '',
    lessonsLearnt: '',
  });
  const [caseIds, setCaseIds] = useState<string[]>([]);
  const cases = useQuery({
    queryKey: ['cases', 'of-state', state],
    enabled: state.length === 3,
    queryFn: () =>
      answer<{ items: { caseId: string; stage: string; requestedAt: string }[] }>(
        api.GET('/cases', {
          params: { query: { state, limit: 100, waitForPosition: readYourWrites() } as never },
        }),
      ),
  });
  const present = useMutation({
    mutationFn: () =>
      answer(
        api.POST('/sessions/{id}/presentations', {
          params: { path: { id: sessionId } },
          body: { state, kind, ...text, caseIds },
        }),
      ),
    onSuccess: async (reply) => {
      wrote(reply);
      await client.invalidateQueries({ queryKey: ['session', sessionId] });
    },
  });
  return (
    <TitledForm id="present-title" title={t('sessions.present')} onSubmit={() => present.mutate()}>
      {!own && (
        <div className="field">
          <label htmlFor="present-state">{t('request.state')}</label>
          <input
            id="present-state"
            value={state}
            maxLength={3}
            onChange={(e) => setState(e.target.value.toUpperCase())}
          />
        </div>
      )}
      <fieldset>
        <legend>{t('sessions.kind')}</legend>
        {(['presentation', 'report-back'] as const).map((k) => (
          <label key={k} className="check">
            <input
              type="radio"
              name="kind"
              value={k}
              checked={kind === k}
              onChange={() => setKind(k)}
            />
            {t(`presentationKind.${k}`)}
          </label>
        ))}
      </fieldset>
      {(['achievements', 'challenges', 'goodPractices', 'lessonsLearnt'] as const).map((k) => (
        <TextArea
          key={k}
          name={k}
          label={t(`presentation.${k}`)}
          error={present.error}
          value={text[k]}
          onChange={(v) => setText({ ...text, [k]: v })}
        />
      ))}
      {cases.data && cases.data.items.length > 0 && (
        <fieldset>
          <legend>
            {t(kind === 'report-back' ? 'sessions.casesReported' : 'sessions.casesLodged')}
          </legend>
          {cases.data.items.map((c) => (
            <label key={c.caseId} className="check">
              <input
                type="checkbox"
                name="caseIds"
                value={c.caseId}
                checked={caseIds.includes(c.caseId)}
                onChange={(e) =>
                  setCaseIds(
                    e.target.checked
                      ? [...caseIds, c.caseId]
                      : caseIds.filter((x) => x !== c.caseId),
                  )
                }
              />
              {intl.formatDate(c.requestedAt, { dateStyle: 'medium' })} — {t(`stage.${c.stage}`)}
            </label>
          ))}
        </fieldset>
      )}
      <FormRefusal error={present.error} />
      <Submit busy={present.isPending} label={t('sessions.presentSubmit')} />
    </TitledForm>
  );
}
