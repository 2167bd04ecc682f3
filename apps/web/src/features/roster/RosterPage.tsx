import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { Link } from 'react-router';
import { api, answer, readYourWrites, wrote } from '../../api/client';
import type { components } from '../../api/schema';
import { Field, FormRefusal, Submit, TextInput } from '../common/Field';
import { Refusal } from '../common/Refusal';

type ExpertRow = components['schemas']['ExpertRowView'];

/** The roster, for case officers: who is on it, their languages and themes, when they are free. */
export function RosterPage() {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const roster = useQuery({
    queryKey: ['experts'],
    queryFn: () =>
      answer<components['schemas']['ExpertListView']>(
        api.GET('/experts', { params: { query: { waitForPosition: readYourWrites() } as never } }),
      ),
  });
  return (
    <section>
      <h1>
        <FormattedMessage id="roster.title" />
      </h1>
      {roster.error ? <Refusal error={roster.error} /> : null}
      {roster.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('people.name')}</th>
              <th scope="col">{t('roster.expertId')}</th>
              <th scope="col">{t('roster.languages')}</th>
              <th scope="col">{t('request.themes')}</th>
              <th scope="col">{t('roster.available')}</th>
              <th scope="col">{t('roster.bookings')}</th>
            </tr>
          </thead>
          <tbody>
            {roster.data.items.map((e) => (
              <ExpertLine key={e.expertId} expert={e} />
            ))}
          </tbody>
        </table>
      )}
      <RegisterExpert />
    </section>
  );
}

function Periods({ periods }: { periods: { from: string; to: string }[] }) {
  return (
    <>
      {periods.map((p) => (
        <div key={`${p.from}-${p.to}`}>
          <FormattedDate value={p.from} dateStyle="medium" timeZone="UTC" /> –{' '}
          <FormattedDate value={p.to} dateStyle="medium" timeZone="UTC" />
        </div>
      ))}
    </>
  );
}

function ExpertLine({ expert }: { expert: ExpertRow }) {
  const intl = useIntl();
  const client = useQueryClient();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const setAvailability = useMutation({
    mutationFn: () =>
      answer(
        api.PATCH('/experts/{id}/availability', {
          params: { path: { id: expert.expertId } },
          body: { periods: [...expert.availability, { from, to }] },
        }),
      ),
    onSuccess: async (reply) => {
      wrote(reply);
      await client.invalidateQueries({ queryKey: ['experts'] });
    },
  });
  return (
    <tr>
      <td>{expert.name ?? <FormattedMessage id="roster.erased" />}</td>
      <td>
        <code>{expert.expertId}</code>
      </td>
      <td>{expert.languages.join(', ')}</td>
      <td>
        {expert.themes
          .map((th) => intl.formatMessage({ id: `theme.${th}`, defaultMessage: th }))
          .join(', ')}
      </td>
      <td>
        <Periods periods={expert.availability} />
        {!expert.erased && (
          <details>
            <summary>
              <FormattedMessage id="roster.addPeriod" />
            </summary>
            <form
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                setAvailability.mutate();
              }}
            >
              <TextInput
                name="from"
                label={intl.formatMessage({ id: 'deploy.start' })}
                error={setAvailability.error}
                type="date"
                value={from}
                onChange={setFrom}
              />
              <TextInput
                name="to"
                label={intl.formatMessage({ id: 'deploy.end' })}
                error={setAvailability.error}
                type="date"
                value={to}
                onChange={setTo}
              />
              <FormRefusal error={setAvailability.error} />
              <Submit
                busy={setAvailability.isPending}
                label={intl.formatMessage({ id: 'roster.save' })}
              />
            </form>
          </details>
        )}
      </td>
      <td>
        {expert.bookings.map((b) => (
          <div key={b.deploymentId}>
            <Link to={`/cases/${b.caseId}`}>
              <FormattedDate value={b.from} dateStyle="medium" timeZone="UTC" /> –{' '}
              <FormattedDate value={b.to} dateStyle="medium" timeZone="UTC" />
            </Link>
          </div>
        ))}
      </td>
    </tr>
  );
}

/** Putting an expert on the roster: their personal data is sealed with a key of their own. */
function RegisterExpert() {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const client = useQueryClient();
  const [form, setForm] = useState({ name: '', contact: '', nationality: '', languages: '' });
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [name]: e.target.value });
  const register = useMutation({
    mutationFn: () =>
      answer(
        api.POST('/experts', {
          body: {
            name: form.name,
            contact: form.contact,
            nationality: form.nationality,
            languages: form.languages
              .split(',')
              .map((l) => l.trim())
              .filter(Boolean),
          },
        }),
      ),
    onSuccess: async (reply) => {
      wrote(reply);
      setForm({ name: '', contact: '', nationality: '', languages: '' });
      await client.invalidateQueries({ queryKey: ['experts'] });
    },
  });
  return (
    <>
      <h2 id="register-title">
        <FormattedMessage id="roster.register" />
      </h2>
      <form
        className="narrow"
        aria-labelledby="register-title"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          register.mutate();
        }}
      >
        <Field
          name="name"
          label={t('people.name')}
          hint={t('roster.sealed')}
          error={register.error}
        >
          {(props) => <input {...props} value={form.name} onChange={set('name')} />}
        </Field>
        <Field name="contact" label={t('roster.contact')} error={register.error}>
          {(props) => <input {...props} value={form.contact} onChange={set('contact')} />}
        </Field>
        <Field name="nationality" label={t('roster.nationality')} error={register.error}>
          {(props) => <input {...props} value={form.nationality} onChange={set('nationality')} />}
        </Field>
        <Field
          name="languages"
          label={t('roster.languages')}
          hint={t('roster.languagesHint')}
          error={register.error}
        >
          {(props) => <input {...props} value={form.languages} onChange={set('languages')} />}
        </Field>
        <FormRefusal error={register.error} />
        <Submit busy={register.isPending} label={t('roster.register')} />
      </form>
    </>
  );
}
