import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, answer } from '../../api/client';
import type { components } from '../../api/schema';
import { Field, FormRefusal, Submit, TextInput } from '../common/Field';
import { Refusal } from '../common/Refusal';
import { REGIONS } from '../cases/views';
import { useMe } from '../auth/session';

interface Person {
  personId: string;
  name: string;
  email: string;
  role: string | null;
  region?: string;
  state?: string;
  provider?: { name: string };
  status: string;
}

const ROLES = [
  'case-officer',
  'committee-member',
  'state-focal-point',
  'provider',
  'auditor',
  'admin',
] as const;

/** The administrator's screen: everyone who may sign in, and inviting someone with a role and scope. */
export function PeoplePage() {
  const { data: me } = useMe();
  const intl = useIntl();
  const client = useQueryClient();
  const people = useQuery({
    queryKey: ['people'],
    queryFn: () => answer<Person[]>(api.GET('/people')),
  });
  const [form, setForm] = useState({
    email: '',
    name: '',
    language: 'en',
    role: 'case-officer',
    region: 'african',
    state: '',
    providerId: '',
    providerKind: 'ngo',
    providerName: '',
    providerState: '',
  });
  const [link, setLink] = useState('');
  const invite = useMutation({
    mutationFn: () =>
      answer<{ invitationPath: string }>(
        api.POST('/people', {
          body: {
            email: form.email,
            name: form.name,
            language: form.language as 'en',
            ...roleBody(form),
          },
        }),
      ),
    onSuccess: async (reply) => {
      setLink(`${window.location.origin}${reply.invitationPath}`);
      // Ready for the next person: who was invited now shows in the table above.
      setForm({ ...form, email: '', name: '', state: '', providerId: '', providerName: '' });
      await client.invalidateQueries({ queryKey: ['people'] });
    },
  });
  const t = (id: string) => intl.formatMessage({ id });
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((now) => ({ ...now, [name]: e.target.value }));
  return (
    <section>
      <h1>
        <FormattedMessage id="people.title" />
      </h1>
      <p>
        <a href="/admin/queues" target="_blank" rel="noopener">
          <FormattedMessage id="people.queues" />
        </a>
      </p>
      {people.error ? <Refusal error={people.error} /> : null}
      {people.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('people.name')}</th>
              <th scope="col">{t('signIn.email')}</th>
              <th scope="col">{t('people.role')}</th>
              <th scope="col">{t('people.scope')}</th>
              <th scope="col">{t('people.status')}</th>
              <th scope="col">{t('people.manage')}</th>
            </tr>
          </thead>
          <tbody>
            {people.data.map((p) => (
              <tr key={p.personId}>
                <td>{p.name}</td>
                <td>{p.email}</td>
                <td>{p.role ? t(`role.${p.role}`) : ''}</td>
                <td>
                  {p.region ? t(`panel.region.${p.region}`) : (p.state ?? p.provider?.name ?? '')}
                </td>
                <td>{t(`people.${p.status}`)}</td>
                <td>
                  {/* Nobody changes their own access (PEOPLE.OWN_ACCESS): no form that would be refused. */}
                  {p.personId !== me?.personId && <ManagePerson person={p} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="invite-title">
        <FormattedMessage id="people.invite" />
      </h2>
      <form
        aria-labelledby="invite-title"
        className="narrow"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate();
        }}
      >
        <Field name="name" label={t('people.name')} error={invite.error}>
          {(props) => <input {...props} value={form.name} onChange={set('name')} />}
        </Field>
        <Field name="email" label={t('signIn.email')} error={invite.error}>
          {(props) => <input {...props} type="email" value={form.email} onChange={set('email')} />}
        </Field>
        <Field name="language" label={t('lang.label')} error={invite.error}>
          {(props) => (
            <select {...props} value={form.language} onChange={set('language')}>
              <option value="en">English</option>
              <option value="fr">Français</option>
              <option value="es">Español</option>
            </select>
          )}
        </Field>
        <RoleField value={form.role} onChange={set('role')} error={invite.error} />
        <ScopeFields form={form} set={set} error={invite.error} />
        <FormRefusal error={invite.error} />
        <Submit busy={invite.isPending} label={t('people.inviteSubmit')} />
      </form>
      {link && (
        <div role="status" className="invitation">
          <p>
            <FormattedMessage id="people.linkIntro" />
          </p>
          <input
            aria-label={t('people.link')}
            readOnly
            value={link}
            data-testid="invitation-link"
          />
        </div>
      )}
    </section>
  );
}

type RoleForm = {
  role: string;
  region: string;
  state: string;
  providerId: string;
  providerKind: string;
  providerName: string;
  providerState: string;
};

/** The role a person is given. */
function RoleField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (e: { target: { value: string } }) => void;
  error: unknown;
}) {
  const intl = useIntl();
  return (
    <Field name="role" label={intl.formatMessage({ id: 'people.role' })} error={error}>
      {(props) => (
        <select {...props} value={value} onChange={onChange}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {intl.formatMessage({ id: `role.${r}` })}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** The scope a role needs: a region, a State, or a provider. */
function ScopeFields({
  form,
  set,
  error,
}: {
  form: RoleForm;
  set: (name: keyof RoleForm) => (e: { target: { value: string } }) => void;
  error: unknown;
}) {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  // A provider's people act for a provider the registry knows: the officers' registry, chosen here.
  const registry = useQuery({
    queryKey: ['providers'],
    enabled: form.role === 'provider',
    queryFn: () => answer<components['schemas']['ProviderView'][]>(api.GET('/providers')),
  });
  return (
    <>
      {form.role === 'committee-member' && (
        <Field name="scope" label={t('panel.region')} error={error}>
          {(props) => (
            <select {...props} value={form.region} onChange={set('region')}>
              {REGIONS.map((r) => (
                <option key={r} value={r}>
                  {t(`panel.region.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {form.role === 'state-focal-point' && (
        <Field name="scope" label={t('request.state')} hint={t('request.stateHint')} error={error}>
          {(props) => <input {...props} maxLength={3} value={form.state} onChange={set('state')} />}
        </Field>
      )}
      {form.role === 'provider' && (
        <Field
          name="scope"
          label={t('people.provider')}
          hint={t('people.providerHint')}
          error={error}
        >
          {(props) => (
            <select
              {...props}
              value={form.providerId}
              onChange={(e) => {
                const chosen = registry.data?.find((p) => p.id === e.target.value);
                set('providerId')({ target: { value: chosen?.id ?? '' } });
                set('providerKind')({ target: { value: chosen?.kind ?? 'ngo' } });
                set('providerName')({ target: { value: chosen?.name ?? '' } });
                set('providerState')({ target: { value: chosen?.state ?? '' } });
              }}
            >
              <option value="">{t('people.chooseProvider')}</option>
              {(registry.data ?? [])
                .filter((p) => !p.retired)
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name} ({t(`providerKind.${p.kind}`)})
                  </option>
                ))}
            </select>
          )}
        </Field>
      )}
    </>
  );
}

/** The role and scope as the API takes them, from the form. */
function roleBody(form: RoleForm) {
  return {
    role: form.role as 'admin',
    ...(form.role === 'committee-member' && { region: form.region }),
    ...(form.role === 'state-focal-point' && { state: form.state }),
    ...(form.role === 'provider' && {
      provider: {
        id: form.providerId,
        kind: form.providerKind as 'ngo',
        name: form.providerName,
        ...(form.providerState && { state: form.providerState }),
      },
    }),
  };
}

/** Change a person's role and scope, or revoke their access (with a reason); both are events. */
function ManagePerson({ person }: { person: Person }) {
  const intl = useIntl();
  const client = useQueryClient();
  const t = (id: string) => intl.formatMessage({ id });
  const [form, setForm] = useState<RoleForm>({
    role: person.role ?? 'case-officer',
    region: person.region ?? 'african',
    state: person.state ?? '',
    providerId: '',
    providerKind: 'ngo',
    providerName: person.provider?.name ?? '',
    providerState: '',
  });
  const [reason, setReason] = useState('');
  const set = (name: keyof RoleForm) => (e: { target: { value: string } }) =>
    setForm((now) => ({ ...now, [name]: e.target.value }));
  const path = { params: { path: { personId: person.personId } } };
  const refresh = () => client.invalidateQueries({ queryKey: ['people'] });
  const grant = useMutation({
    mutationFn: () =>
      answer(api.POST('/people/{personId}/roles', { ...path, body: roleBody(form) })),
    onSuccess: refresh,
  });
  const revoke = useMutation({
    mutationFn: () =>
      answer(api.POST('/people/{personId}/revocation', { ...path, body: { reason } })),
    onSuccess: refresh,
  });
  return (
    <details>
      <summary>
        <FormattedMessage id="people.manageOne" values={{ name: person.name }} />
      </summary>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          grant.mutate();
        }}
      >
        <RoleField value={form.role} onChange={set('role')} error={grant.error} />
        <ScopeFields form={form} set={set} error={grant.error} />
        <FormRefusal error={grant.error} />
        <Submit busy={grant.isPending} label={t('people.grant')} />
      </form>
      {person.status !== 'revoked' && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            revoke.mutate();
          }}
        >
          <TextInput
            name="reason"
            label={t('form.reason')}
            error={revoke.error}
            value={reason}
            onChange={setReason}
          />
          <FormRefusal error={revoke.error} />
          <Submit busy={revoke.isPending} label={t('people.revoke')} />
        </form>
      )}
    </details>
  );
}
