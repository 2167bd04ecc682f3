import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { SessionField } from '../platform/SessionsPage';
import { api, answer, wrote } from '../../api/client';
import { Field, FormRefusal, Submit, TextArea, TextInput } from '../common/Field';
import type { AllowedAction, CaseView } from './views';

type Body = Record<string, unknown>;

/** Sends one command, then refreshes what shows the case (and remembers the write's position). */
function useCommand(caseId: string, send: (body: Body) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Body) => answer(send(body) as never),
    onSuccess: async (reply) => {
      wrote(reply);
      await client.invalidateQueries();
    },
  });
}

function ActionBox({
  action,
  onSubmit,
  busy,
  error,
  children,
  label,
}: {
  action: AllowedAction;
  onSubmit: () => void;
  busy: boolean;
  error: unknown;
  children?: ReactNode;
  label?: string;
}) {
  const intl = useIntl();
  const title = intl.formatMessage({ id: `action.${action.action}` });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form
      className="action"
      onSubmit={submit}
      noValidate
      aria-label={title}
      data-action={action.action}
    >
      <h3>{title}</h3>
      {children}
      <FormRefusal error={error} />
      <Submit busy={busy} label={label ?? title} />
    </form>
  );
}

export function ActionForm({
  caseId,
  action,
  view,
}: {
  caseId: string;
  action: AllowedAction;
  view: CaseView;
}) {
  const id = { params: { path: { id: caseId } } };
  const offer = { params: { path: { id: caseId, offerId: action.offerId ?? '' } } };
  switch (action.action) {
    case 'ConfirmConsent':
      return (
        <Simple
          action={action}
          caseId={caseId}
          send={(b) => api.POST('/cases/{id}/consent', { ...id, body: b })}
        />
      );
    case 'MatchOffer':
      return (
        <Simple
          action={action}
          caseId={caseId}
          send={(b) => api.POST('/cases/{id}/offers/{offerId}/match', { ...offer, body: b })}
          detail={view.offers.find((o) => o.offerId === action.offerId)?.provider.name}
        />
      );
    case 'WithdrawConsent':
      return (
        <WithReason
          action={action}
          caseId={caseId}
          send={(b) => api.POST('/cases/{id}/consent/withdrawal', { ...id, body: b as never })}
        />
      );
    case 'WithdrawOffer':
      return (
        <WithReason
          action={action}
          caseId={caseId}
          send={(b) =>
            api.POST('/cases/{id}/offers/{offerId}/withdrawal', { ...offer, body: b as never })
          }
        />
      );
    case 'CloseCase':
      return (
        <WithReason
          action={action}
          caseId={caseId}
          send={(b) => api.POST('/cases/{id}/closure', { ...id, body: b as never })}
        />
      );
    case 'ScreenRequest':
      return <Screening action={action} caseId={caseId} />;
    case 'MakeOffer':
      return <MakeOffer action={action} caseId={caseId} />;
    case 'DeployExpert':
      return <Deploy action={action} caseId={caseId} />;
    case 'ReportProgress':
      return <Progress action={action} caseId={caseId} view={view} />;
    case 'ProfileSuccess':
      return <Profile action={action} caseId={caseId} />;
    case 'AmendRequest':
      return <Amend action={action} caseId={caseId} view={view} />;
    default:
      return null;
  }
}

type Funding = 'provider' | 'trust-fund' | 'in-kind';

/** Who pays: the provider, the trust fund, or in kind (an offer's, and a deployment's). */
function FundingField({
  value,
  onChange,
  error,
}: {
  value: Funding;
  onChange: (funding: Funding) => void;
  error: unknown;
}) {
  const intl = useIntl();
  return (
    <Field name="funding" label={intl.formatMessage({ id: 'offer.funding' })} error={error}>
      {(props) => (
        <select {...props} value={value} onChange={(e) => onChange(e.target.value as Funding)}>
          {(['provider', 'trust-fund', 'in-kind'] as const).map((f) => (
            <option key={f} value={f}>
              {intl.formatMessage({ id: `funding.${f}` })}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

interface Props {
  action: AllowedAction;
  caseId: string;
}

function Simple({
  action,
  caseId,
  send,
  detail,
}: Props & { send: (b: Body) => Promise<unknown>; detail?: string }) {
  const command = useCommand(caseId, send);
  return (
    <ActionBox
      action={action}
      busy={command.isPending}
      error={command.error}
      onSubmit={() => command.mutate({})}
    >
      {detail && <p>{detail}</p>}
    </ActionBox>
  );
}

function WithReason({ action, caseId, send }: Props & { send: (b: Body) => Promise<unknown> }) {
  const intl = useIntl();
  const [reason, setReason] = useState('');
  const command = useCommand(caseId, send);
  return (
    <ActionBox
      action={action}
      busy={command.isPending}
      error={command.error}
      onSubmit={() => command.mutate({ reason })}
    >
      <TextArea
        name="reason"
        label={intl.formatMessage({ id: 'form.reason' })}
        error={command.error}
        rows={2}
        value={reason}
        onChange={setReason}
      />
    </ActionBox>
  );
}

/** The committee's decision, with its reasons (required to decline or to ask for more). */
function Screening({ action, caseId }: Props) {
  const intl = useIntl();
  const [decision, setDecision] = useState<'accepted' | 'more-information' | 'declined'>(
    'accepted',
  );
  const [reasons, setReasons] = useState('');
  const command = useCommand(caseId, (b) =>
    api.POST('/cases/{id}/screening', { params: { path: { id: caseId } }, body: b as never }),
  );
  const send = () =>
    command.mutate({
      decision,
      reasons: reasons
        .split('\n')
        .map((r) => r.trim())
        .filter(Boolean),
    });
  return (
    <ActionBox action={action} busy={command.isPending} error={command.error} onSubmit={send}>
      <fieldset>
        <legend>
          <FormattedMessage id="screening.decision" />
        </legend>
        {(['accepted', 'more-information', 'declined'] as const).map((d) => (
          <label key={d} className="check">
            <input
              type="radio"
              name="decision"
              value={d}
              checked={decision === d}
              onChange={() => setDecision(d)}
            />
            {intl.formatMessage({ id: `screening.${d}` })}
          </label>
        ))}
      </fieldset>
      <TextArea
        name="reasons"
        label={intl.formatMessage({ id: 'screening.reasons' })}
        hint={intl.formatMessage({ id: 'screening.reasonsHint' })}
        error={command.error}
        rows={3}
        value={reasons}
        onChange={setReasons}
      />
    </ActionBox>
  );
}

function MakeOffer({ action, caseId }: Props) {
  const intl = useIntl();
  const [offered, setOffered] = useState('');
  const [funding, setFunding] = useState<Funding>('provider');
  const [sessionId, setSessionId] = useState('');
  const command = useCommand(caseId, (b) =>
    api.POST('/cases/{id}/offers', { params: { path: { id: caseId } }, body: b as never }),
  );
  return (
    <ActionBox
      action={action}
      busy={command.isPending}
      error={command.error}
      onSubmit={() => command.mutate({ offered, funding, ...(sessionId ? { sessionId } : {}) })}
    >
      <TextArea
        name="offered"
        label={intl.formatMessage({ id: 'offer.offered' })}
        error={command.error}
        rows={2}
        value={offered}
        onChange={setOffered}
      />
      <FundingField value={funding} onChange={setFunding} error={command.error} />
      <SessionField value={sessionId} onChange={setSessionId} error={command.error} />
    </ActionBox>
  );
}

function Deploy({ action, caseId }: Props) {
  const intl = useIntl();
  const [form, setForm] = useState({
    expertId: '',
    startDate: '',
    endDate: '',
    funding: 'provider',
    amount: '',
  });
  const command = useCommand(caseId, (b) =>
    api.POST('/cases/{id}/deployments', { params: { path: { id: caseId } }, body: b as never }),
  );
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [name]: e.target.value });
  const send = () =>
    command.mutate({
      offerId: action.offerId,
      expertId: form.expertId,
      startDate: form.startDate,
      endDate: form.endDate,
      funding: form.funding,
      ...(form.amount ? { amount: Number(form.amount) } : {}),
    });
  return (
    <ActionBox action={action} busy={command.isPending} error={command.error} onSubmit={send}>
      <Field
        name="expertId"
        label={intl.formatMessage({ id: 'deploy.expert' })}
        error={command.error}
      >
        {(props) => <input {...props} value={form.expertId} onChange={set('expertId')} />}
      </Field>
      <Field
        name="startDate"
        label={intl.formatMessage({ id: 'deploy.start' })}
        error={command.error}
      >
        {(props) => (
          <input {...props} type="date" value={form.startDate} onChange={set('startDate')} />
        )}
      </Field>
      <Field name="endDate" label={intl.formatMessage({ id: 'deploy.end' })} error={command.error}>
        {(props) => <input {...props} type="date" value={form.endDate} onChange={set('endDate')} />}
      </Field>
      <FundingField
        value={form.funding as Funding}
        onChange={(funding) => setForm({ ...form, funding })}
        error={command.error}
      />
      <Field
        name="amount"
        label={intl.formatMessage({ id: 'deploy.amount' })}
        error={command.error}
      >
        {(props) => (
          <input {...props} inputMode="numeric" value={form.amount} onChange={set('amount')} />
        )}
      </Field>
    </ActionBox>
  );
}

function Progress({ action, caseId, view }: Props & { view: CaseView }) {
  const intl = useIntl();
  const [rows, setRows] = useState(
    view.case.recommendations.map((r) => ({
      reference: r.reference,
      status: 'in-progress',
      narrative: '',
    })),
  );
  const command = useCommand(caseId, (b) =>
    api.POST('/cases/{id}/progress-reports', {
      params: { path: { id: caseId } },
      body: b as never,
    }),
  );
  return (
    <ActionBox
      action={action}
      busy={command.isPending}
      error={command.error}
      onSubmit={() => command.mutate({ progress: rows })}
    >
      {rows.map((row, index) => (
        <fieldset key={row.reference}>
          <legend>{row.reference}</legend>
          <Field name={`status-${index}`} label={intl.formatMessage({ id: 'progress.status' })}>
            {(props) => (
              <select
                {...props}
                value={row.status}
                onChange={(e) =>
                  setRows(rows.map((r, i) => (i === index ? { ...r, status: e.target.value } : r)))
                }
              >
                {['not-started', 'in-progress', 'implemented'].map((s) => (
                  <option key={s} value={s}>
                    {intl.formatMessage({ id: `progress.${s}` })}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            name={`narrative-${index}`}
            label={intl.formatMessage({ id: 'progress.narrative' })}
          >
            {(props) => (
              <textarea
                {...props}
                rows={2}
                value={row.narrative}
                onChange={(e) =>
                  setRows(
                    rows.map((r, i) => (i === index ? { ...r, narrative: e.target.value } : r)),
                  )
                }
              />
            )}
          </Field>
        </fieldset>
      ))}
    </ActionBox>
  );
}

function Profile({ action, caseId }: Props) {
  const intl = useIntl();
  const [panelYear, setPanelYear] = useState(String(new Date().getFullYear()));
  const [summary, setSummary] = useState('');
  const command = useCommand(caseId, (b) =>
    api.POST('/cases/{id}/success-profiles', {
      params: { path: { id: caseId } },
      body: b as never,
    }),
  );
  return (
    <ActionBox
      action={action}
      busy={command.isPending}
      error={command.error}
      onSubmit={() => command.mutate({ panelYear: Number(panelYear), summary })}
    >
      <TextInput
        name="panelYear"
        label={intl.formatMessage({ id: 'profile.year' })}
        error={command.error}
        inputMode="numeric"
        value={panelYear}
        onChange={setPanelYear}
      />
      <TextArea
        name="summary"
        label={intl.formatMessage({ id: 'profile.summary' })}
        error={command.error}
        rows={3}
        value={summary}
        onChange={setSummary}
      />
    </ActionBox>
  );
}

function Amend({ action, caseId, view }: Props & { view: CaseView }) {
  const intl = useIntl();
  const [description, setDescription] = useState(view.request.description);
  const [supportSought, setSupportSought] = useState(view.request.supportSought);
  const command = useCommand(caseId, (b) =>
    api.POST('/cases/{id}/amendments', { params: { path: { id: caseId } }, body: b as never }),
  );
  return (
    <details className="action-details">
      <summary>{intl.formatMessage({ id: 'action.AmendRequest' })}</summary>
      <ActionBox
        action={action}
        busy={command.isPending}
        error={command.error}
        onSubmit={() => command.mutate({ description, supportSought })}
      >
        <TextArea
          name="description"
          label={intl.formatMessage({ id: 'request.description' })}
          error={command.error}
          rows={3}
          value={description}
          onChange={setDescription}
        />
        <TextArea
          name="supportSought"
          label={intl.formatMessage({ id: 'request.supportSought' })}
          error={command.error}
          rows={3}
          value={supportSought}
          onChange={setSupportSought}
        />
      </ActionBox>
    </details>
  );
}
