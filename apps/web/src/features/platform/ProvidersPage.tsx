import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, answer, wrote } from '../../api/client';
import type { components } from '../../api/schema';
import { Field, FormRefusal, Submit, TextInput, TitledForm } from '../common/Field';
import { Refusal } from '../common/Refusal';

type Provider = components['schemas']['ProviderView'];
const KINDS = [
  'state',
  'un-entity',
  'ngo',
  'regional-organisation',
  'development-partner',
  'nhri',
] as const;

/** The provider registry as officers keep it: who may offer, of which kind, for which State. */
export function ProvidersPage() {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const client = useQueryClient();
  const providers = useQuery({
    queryKey: ['providers'],
    queryFn: () => answer<Provider[]>(api.GET('/providers')),
  });
  const [form, setForm] = useState({
    providerId: '',
    kind: 'ngo' as (typeof KINDS)[number],
    name: '',
    state: '',
  });
  const register = useMutation({
    mutationFn: () =>
      answer(
        api.POST('/providers', {
          body: { ...form, state: form.state || undefined },
        }),
      ),
    onSuccess: async (reply) => {
      wrote(reply);
      setForm({ providerId: '', kind: 'ngo', name: '', state: '' });
      await client.invalidateQueries({ queryKey: ['providers'] });
    },
  });
  const needsState = form.kind === 'state' || form.kind === 'nhri';
  return (
    <section>
      <h1>
        <FormattedMessage id="providers.title" />
      </h1>
      {providers.error ? <Refusal error={providers.error} /> : null}
      {providers.data && (
        <table data-testid="providers">
          <thead>
            <tr>
              <th scope="col">{t('providers.name')}</th>
              <th scope="col">{t('providers.kind')}</th>
              <th scope="col">{t('request.state')}</th>
              <th scope="col">{t('providers.id')}</th>
            </tr>
          </thead>
          <tbody>
            {providers.data.map((p) => (
              <tr key={p.id}>
                <td>
                  {p.name}
                  {p.retired ? ` (${t('providers.retired')})` : ''}
                </td>
                <td>{t(`providerKind.${p.kind}`)}</td>
                <td>{p.stateName ?? '—'}</td>
                <td>
                  <code>{p.id}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <TitledForm
        id="register-title"
        title={t('providers.register')}
        onSubmit={() => register.mutate()}
      >
        <TextInput
          name="name"
          label={t('providers.name')}
          error={register.error}
          value={form.name}
          onChange={(name) => setForm({ ...form, name })}
        />
        <Field name="kind" label={t('providers.kind')} error={register.error}>
          {(props) => (
            <select
              {...props}
              value={form.kind}
              onChange={(e) => setForm({ ...form, kind: e.target.value as (typeof KINDS)[number] })}
            >
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`providerKind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {needsState && (
          <TextInput
            name="state"
            label={t('request.state')}
            hint={t('request.stateHint')}
            error={register.error}
            maxLength={3}
            value={form.state}
            onChange={(state) => setForm({ ...form, state: state.toUpperCase() })}
          />
        )}
        <TextInput
          name="providerId"
          label={t('providers.id')}
          hint={t('providers.idHint')}
          error={register.error}
          value={form.providerId}
          onChange={(providerId) => setForm({ ...form, providerId })}
        />
        <FormRefusal error={register.error} />
        <Submit busy={register.isPending} label={t('providers.registerSubmit')} />
      </TitledForm>
    </section>
  );
}
