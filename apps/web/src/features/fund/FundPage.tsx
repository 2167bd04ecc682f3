import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormattedMessage, FormattedNumber, useIntl } from 'react-intl';
import { Link } from 'react-router';
import { api, answer, wrote } from '../../api/client';
import type { components } from '../../api/schema';
import { FormRefusal, Submit, TextInput, TitledForm } from '../common/Field';
import { Refusal } from '../common/Refusal';

type Fund = components['schemas']['FundView'];
const usd = { style: 'currency', currency: 'USD', maximumFractionDigits: 0 } as const;

/** The small-projects trust fund: what it holds, has committed and can still commit; contributions. */
export function FundPage() {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const client = useQueryClient();
  const fund = useQuery({
    queryKey: ['fund'],
    queryFn: () => answer<Fund>(api.GET('/trust-fund')),
  });
  const [donor, setDonor] = useState('');
  const [amount, setAmount] = useState('');
  const contribute = useMutation({
    mutationFn: () =>
      answer(api.POST('/trust-fund/contributions', { body: { donor, amount: Number(amount) } })),
    onSuccess: async (reply) => {
      wrote(reply);
      setDonor('');
      setAmount('');
      await client.invalidateQueries({ queryKey: ['fund'] });
    },
  });
  const commitments = Object.entries(
    (fund.data?.commitments ?? {}) as Record<string, { caseId: string; outstanding: number }>,
  );
  return (
    <section>
      <h1>
        <FormattedMessage id="fund.title" />
      </h1>
      {fund.error ? <Refusal error={fund.error} /> : null}
      {fund.data && (
        <>
          <dl className="facts" data-testid="fund">
            {(['received', 'disbursed', 'held', 'committed', 'available'] as const).map((k) => (
              <div key={k} data-figure={k}>
                <dt>{t(`fund.${k}`)}</dt>
                <dd>
                  <FormattedNumber value={fund.data[k]} {...usd} />
                </dd>
              </div>
            ))}
          </dl>
          <h2>{t('fund.commitments')}</h2>
          {commitments.length === 0 ? (
            <p>{t('fund.noCommitments')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('fund.commitment')}</th>
                  <th scope="col">{t('cases.request')}</th>
                  <th scope="col">{t('fund.outstanding')}</th>
                </tr>
              </thead>
              <tbody>
                {commitments.map(([id, c]) => (
                  <tr key={id}>
                    <td>
                      <code>{id}</code>
                    </td>
                    <td>
                      <Link to={`/cases/${c.caseId}`}>{t('inbox.open')}</Link>
                    </td>
                    <td>
                      <FormattedNumber value={c.outstanding} {...usd} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <TitledForm
        id="contribution-title"
        title={t('fund.contribution')}
        onSubmit={() => contribute.mutate()}
      >
        <TextInput
          name="donor"
          label={t('fund.donor')}
          error={contribute.error}
          value={donor}
          onChange={setDonor}
        />
        <TextInput
          name="amount"
          label={t('fund.amount')}
          error={contribute.error}
          inputMode="numeric"
          value={amount}
          onChange={setAmount}
        />
        <FormRefusal error={contribute.error} />
        <Submit busy={contribute.isPending} label={t('fund.record')} />
      </TitledForm>
    </section>
  );
}
