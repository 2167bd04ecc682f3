import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { Link } from 'react-router';
import { api, answer, readYourWrites, wrote } from '../../api/client';
import { useMe } from '../auth/session';
import { Field, FormRefusal, Submit, TextInput, TitledForm } from '../common/Field';
import { Refusal } from '../common/Refusal';
import { THEMES } from '../cases/views';

export interface SessionSummary {
  sessionId: string;
  title: string;
  themes: string[];
  startDate: string;
  endDate: string;
  venue: { mode: 'in-person' | 'online' | 'hybrid'; place?: string };
  status: 'planned' | 'registration-open' | 'held' | 'outcome-published';
  presentations: number;
}

export const useSessions = () =>
  useQuery({
    queryKey: ['sessions'],
    queryFn: () =>
      answer<SessionSummary[]>(
        api.GET('/sessions', { params: { query: { waitForPosition: readYourWrites() } as never } }),
      ),
  });

/** A day as the reader writes days (the session's dates are days, not moments). */
export function Day({ value }: { value: string }) {
  return <FormattedDate value={`${value}T12:00:00Z`} dateStyle="long" timeZone="UTC" />;
}

/**
 * The voluntary platform's sessions, soonest first, each with its dates, place and status; an
 * officer convenes the next one here.
 */
export function SessionsPage() {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const { data: me } = useMe();
  const sessions = useSessions();
  return (
    <section>
      <h1>
        <FormattedMessage id="sessions.title" />
      </h1>
      <p className="hint">
        <FormattedMessage id="sessions.intro" />
      </p>
      {sessions.error ? <Refusal error={sessions.error} /> : null}
      {sessions.data && sessions.data.length === 0 && (
        <p role="status">
          <FormattedMessage id="sessions.empty" />
        </p>
      )}
      {sessions.data && sessions.data.length > 0 && (
        <table data-testid="sessions">
          <thead>
            <tr>
              <th scope="col">{t('sessions.session')}</th>
              <th scope="col">{t('sessions.dates')}</th>
              <th scope="col">{t('sessions.venue')}</th>
              <th scope="col">{t('sessions.status')}</th>
              <th scope="col">{t('sessions.presentations')}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.data.map((s) => (
              <tr key={s.sessionId}>
                <td>
                  <Link to={`/sessions/${s.sessionId}`}>{s.title}</Link>
                </td>
                <td>
                  <Day value={s.startDate} /> – <Day value={s.endDate} />
                </td>
                <td>
                  {t(`venue.${s.venue.mode}`)}
                  {s.venue.place ? `, ${s.venue.place}` : ''}
                </td>
                <td>{t(`sessionStatus.${s.status}`)}</td>
                <td>{s.presentations}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {me?.role === 'case-officer' && <ConveneForm />}
    </section>
  );
}

function ConveneForm() {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const client = useQueryClient();
  const [title, setTitle] = useState('');
  const [theme, setTheme] = useState<string>(THEMES[0]);
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const [mode, setMode] = useState<'in-person' | 'online' | 'hybrid'>('hybrid');
  const [place, setPlace] = useState('');
  const convene = useMutation({
    mutationFn: () =>
      answer(
        api.POST('/sessions', {
          body: {
            title,
            themes: [theme],
            startDate,
            endDate,
            venue: mode === 'online' ? { mode } : { mode, place },
          },
        }),
      ),
    onSuccess: async (reply) => {
      wrote(reply);
      setTitle('');
      await client.invalidateQueries({ queryKey: ['sessions'] });
    },
  });
  return (
    <TitledForm id="convene-title" title={t('sessions.convene')} onSubmit={() => convene.mutate()}>
      <TextInput
        name="title"
        label={t('sessions.sessionTitle')}
        error={convene.error}
        value={title}
        onChange={setTitle}
      />
      <Field name="themes" label={t('sessions.theme')} error={convene.error}>
        {(props) => (
          <select {...props} value={theme} onChange={(e) => setTheme(e.target.value)}>
            {THEMES.map((slug) => (
              <option key={slug} value={slug}>
                {t(`theme.${slug}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextInput
        name="startDate"
        type="date"
        label={t('sessions.startDate')}
        error={convene.error}
        value={startDate}
        onChange={setStartDate}
      />
      <TextInput
        name="endDate"
        type="date"
        label={t('sessions.endDate')}
        error={convene.error}
        value={endDate}
        onChange={setEndDate}
      />
      <Field name="venue" label={t('sessions.venue')} error={convene.error}>
        {(props) => (
          <select {...props} value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
            {(['in-person', 'hybrid', 'online'] as const).map((m) => (
              <option key={m} value={m}>
                {t(`venue.${m}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {mode !== 'online' && (
        <TextInput
          name="venue.place"
          label={t('sessions.place')}
          error={convene.error}
          value={place}
          onChange={setPlace}
        />
      )}
      <FormRefusal error={convene.error} />
      <Submit busy={convene.isPending} label={t('sessions.conveneSubmit')} />
    </TitledForm>
  );
}

/**
 * The platform session a request is lodged at or an offer pledged at: the sessions taking them now
 * (registration open, or being held), or none.
 */
export function SessionField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (sessionId: string) => void;
  error?: unknown;
}) {
  const intl = useIntl();
  const sessions = useSessions();
  const taking = (sessions.data ?? []).filter(
    (s) => s.status === 'registration-open' || s.status === 'held',
  );
  if (taking.length === 0) return null;
  return (
    <Field name="sessionId" label={intl.formatMessage({ id: 'sessions.atSession' })} error={error}>
      {(props) => (
        <select {...props} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{intl.formatMessage({ id: 'sessions.noSession' })}</option>
          {taking.map((s) => (
            <option key={s.sessionId} value={s.sessionId}>
              {s.title}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
