import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, answer, wrote } from '../../api/client';
import type { components } from '../../api/schema';
import { useMe } from '../auth/session';
import { FormRefusal, Submit, TextInput, TitledForm } from '../common/Field';
import { Refusal } from '../common/Refusal';

type Proposal = components['schemas']['ThemeProposalView'];

/**
 * New themes for the vocabulary: a State's focal point, a committee member or an officer proposes
 * one (with its other names); a case officer accepts or rejects it. Accepted themes are offered in
 * the request form and found by the case list's filter under any of their names.
 */
export function ThemesPage() {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const { data: me } = useMe();
  const client = useQueryClient();
  const proposals = useQuery({
    queryKey: ['theme-proposals'],
    queryFn: () => answer<Proposal[]>(api.GET('/themes/proposals')),
  });
  const [label, setLabel] = useState('');
  const [synonyms, setSynonyms] = useState('');
  const refresh = async (reply: unknown) => {
    wrote(reply);
    await client.invalidateQueries({ queryKey: ['theme-proposals'] });
    await client.invalidateQueries({ queryKey: ['reference-themes'] });
  };
  const propose = useMutation({
    mutationFn: () =>
      answer(
        api.POST('/themes/proposals', {
          body: {
            label,
            synonyms: synonyms
              .split(/[,;]/)
              .map((s) => s.trim())
              .filter(Boolean),
          },
        }),
      ),
    onSuccess: async (reply) => {
      setLabel('');
      setSynonyms('');
      await refresh(reply);
    },
  });
  const officer = me?.role === 'case-officer';
  return (
    <section>
      <h1>
        <FormattedMessage id="themes.title" />
      </h1>
      {proposals.error ? <Refusal error={proposals.error} /> : null}
      {proposals.data && proposals.data.length === 0 && (
        <p role="status">
          <FormattedMessage id="themes.none" />
        </p>
      )}
      {proposals.data && proposals.data.length > 0 && (
        <table data-testid="theme-proposals">
          <thead>
            <tr>
              <th scope="col">{t('themes.label')}</th>
              <th scope="col">{t('themes.synonyms')}</th>
              <th scope="col">{t('sessions.status')}</th>
              {officer && <th scope="col">{t('themes.decide')}</th>}
            </tr>
          </thead>
          <tbody>
            {proposals.data.map((p) => (
              <tr key={p.slug}>
                <td>{p.label}</td>
                <td>{p.synonyms.join(', ') || '—'}</td>
                <td>{t(`themeStatus.${p.status}`)}</td>
                {officer && (
                  <td>
                    {p.status === 'proposed' ? <Decision proposal={p} onDone={refresh} /> : '—'}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {me?.role !== 'auditor' && (
        <TitledForm
          id="propose-title"
          title={t('themes.propose')}
          onSubmit={() => propose.mutate()}
        >
          <TextInput
            name="label"
            label={t('themes.label')}
            error={propose.error}
            value={label}
            onChange={setLabel}
          />
          <TextInput
            name="synonyms"
            label={t('themes.synonyms')}
            hint={t('themes.synonymsHint')}
            error={propose.error}
            value={synonyms}
            onChange={setSynonyms}
          />
          <FormRefusal error={propose.error} />
          <Submit busy={propose.isPending} label={t('themes.proposeSubmit')} />
        </TitledForm>
      )}
    </section>
  );
}

function Decision({
  proposal,
  onDone,
}: {
  proposal: Proposal;
  onDone: (reply: unknown) => Promise<void>;
}) {
  const intl = useIntl();
  const t = (id: string, values?: Record<string, string>) => intl.formatMessage({ id }, values);
  const [reason, setReason] = useState('');
  const path = { params: { path: { slug: proposal.slug } } };
  const accept = useMutation({
    mutationFn: () =>
      answer(api.POST('/themes/proposals/{slug}/acceptance', { ...path, body: {} })),
    onSuccess: onDone,
  });
  const reject = useMutation({
    mutationFn: () =>
      answer(api.POST('/themes/proposals/{slug}/rejection', { ...path, body: { reason } })),
    onSuccess: onDone,
  });
  return (
    <div className="decision">
      <button
        type="button"
        disabled={accept.isPending}
        aria-label={t('themes.acceptNamed', { label: proposal.label })}
        onClick={() => accept.mutate()}
      >
        {t('themes.accept')}
      </button>
      <form
        noValidate
        aria-label={t('themes.rejectNamed', { label: proposal.label })}
        onSubmit={(e) => {
          e.preventDefault();
          reject.mutate();
        }}
      >
        <TextInput
          name="reason"
          label={t('themes.reason')}
          error={reject.error}
          value={reason}
          onChange={setReason}
        />
        <Submit busy={reject.isPending} label={t('themes.reject')} />
      </form>
      <FormRefusal error={accept.error} />
    </div>
  );
}
