import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { FormattedDate, FormattedMessage, FormattedNumber, useIntl } from 'react-intl';
import { api, answer } from '../../api/client';
import { Refusal } from '../common/Refusal';
import { Field } from '../common/Field';
import { REGIONS } from '../cases/views';

const STAGES = [
  'received',
  'consented',
  'screened',
  'matched',
  'deployed',
  'reportedOn',
  'profiled',
] as const;
type Counts = Record<(typeof STAGES)[number], number>;
interface Panel {
  year: number;
  totals: Counts;
  byRegion: Record<string, Counts>;
  ldc: Counts;
  sids: Counts;
}
interface Verification {
  intact: boolean;
  eventsChecked: number;
  streamsChecked: number;
  lastPosition: number;
  logHead: { position: number; logHash: string };
  checkpoints: { label: string; position: number; holds: boolean }[];
  findingsCount: number;
  findings: {
    problem: string;
    streamId: string;
    globalPosition: number;
    expected: string;
    found: string;
  }[];
  checkedAt: string;
}

interface Spread {
  cases: number;
  medianDays: number | null;
  p90Days: number | null;
}
interface Impact {
  cases: number;
  daysFromRequestTo: Record<
    'consent' | 'firstOffer' | 'match' | 'firstDeployment' | 'firstReport',
    Spread
  >;
  shareWithOffer: number | null;
  shareMatched: number | null;
  reports: { onTime: number; overdue: number };
}
const STEPS = ['consent', 'firstOffer', 'match', 'firstDeployment', 'firstReport'] as const;

/** An "as of" day, as the end of that day (UTC): everything recorded, or in effect, by then. */
const endOf = (day: string) => `${day}T23:59:59.999Z`;

/**
 * The auditor's screen: the panel's figures as of any past day (recorded or effective time), the
 * log verified on demand, a case's signed evidence bundle, and the panel report.
 */
export function AuditPage() {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [day, setDay] = useState('');
  const [time, setTime] = useState<'recorded' | 'effective'>('effective');
  const asOf = day ? { [time === 'recorded' ? 'asOf' : 'asOfEffective']: endOf(day) } : {};
  const panel = useQuery({
    queryKey: ['panel', year, asOf],
    queryFn: () =>
      answer<Panel>(api.GET('/panel/{year}', { params: { path: { year }, query: asOf as never } })),
  });
  const impact = useQuery({
    queryKey: ['impact', year, asOf],
    queryFn: () =>
      answer<Impact>(api.GET('/impact', { params: { query: { year, ...asOf } as never } })),
  });
  const verify = useMutation({
    mutationFn: () => answer<Verification>(api.POST('/audit/verifications')),
  });
  const [caseId, setCaseId] = useState('');
  const widest = Math.max(1, ...Object.values(panel.data?.totals ?? {}));
  const report = `/panel/${year}/report${day ? `?${new URLSearchParams(asOf).toString()}` : ''}`;
  return (
    <section>
      <h1>
        <FormattedMessage id="audit.title" />
      </h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('audit.when')}>
        <label>
          {t('panel.year')}
          <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {[thisYear, thisYear - 1, thisYear - 2, thisYear - 3].map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('audit.asOf')}
          <input type="date" value={day} onChange={(e) => setDay(e.target.value)} />
        </label>
        <fieldset>
          <legend>{t('audit.time')}</legend>
          <label className="check">
            <input
              type="radio"
              name="time"
              checked={time === 'effective'}
              onChange={() => setTime('effective')}
            />
            {t('audit.effective')}
          </label>
          <label className="check">
            <input
              type="radio"
              name="time"
              checked={time === 'recorded'}
              onChange={() => setTime('recorded')}
            />
            {t('audit.recorded')}
          </label>
        </fieldset>
      </form>
      {panel.error ? <Refusal error={panel.error} /> : null}
      {panel.data && (
        <>
          <h2 id="audit-funnel">
            <FormattedMessage
              id={day ? 'audit.funnelAsOf' : 'audit.funnel'}
              values={{
                year,
                day: day ? intl.formatDate(endOf(day), { dateStyle: 'long', timeZone: 'UTC' }) : '',
              }}
            />
          </h2>
          <table className="bars" aria-labelledby="audit-funnel">
            <thead>
              <tr>
                <th scope="col">{t('cases.stage')}</th>
                <th scope="col">{t('dashboard.cases')}</th>
                <th scope="col">{t('audit.ldc')}</th>
                <th scope="col">{t('audit.sids')}</th>
              </tr>
            </thead>
            <tbody>
              {STAGES.map((stage) => (
                <tr key={stage} data-stage={stage}>
                  <th scope="row">{t(`panel.stage.${stage}`)}</th>
                  <td>
                    <div className="bar-cell">
                      <span
                        className="bar"
                        aria-hidden="true"
                        style={{ inlineSize: `${(panel.data.totals[stage] / widest) * 100}%` }}
                      />
                      <span className="value">
                        <FormattedNumber value={panel.data.totals[stage]} />
                      </span>
                    </div>
                  </td>
                  <td>
                    <FormattedNumber value={panel.data.ldc[stage]} />
                  </td>
                  <td>
                    <FormattedNumber value={panel.data.sids[stage]} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('panel.byRegion')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('panel.region')}</th>
                <th scope="col">{t('panel.requests')}</th>
                <th scope="col">{t('panel.matched')}</th>
              </tr>
            </thead>
            <tbody>
              {REGIONS.map((r) => (
                <tr key={r}>
                  <th scope="row">{t(`panel.region.${r}`)}</th>
                  <td>
                    <FormattedNumber value={panel.data!.byRegion[r]?.received ?? 0} />
                  </td>
                  <td>
                    <FormattedNumber value={panel.data!.byRegion[r]?.matched ?? 0} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <a href={report} target="_blank" rel="noopener">
              <FormattedMessage id="audit.report" values={{ year }} />
            </a>
          </p>
        </>
      )}
      {impact.error ? <Refusal error={impact.error} /> : null}
      {impact.data && (
        <>
          <h2 id="impact-title">
            <FormattedMessage id="audit.impact" values={{ year, cases: impact.data.cases }} />
          </h2>
          <table aria-labelledby="impact-title" data-testid="impact">
            <thead>
              <tr>
                <th scope="col">{t('audit.step')}</th>
                <th scope="col">{t('audit.median')}</th>
                <th scope="col">{t('audit.p90')}</th>
                <th scope="col">{t('audit.reached')}</th>
              </tr>
            </thead>
            <tbody>
              {STEPS.map((step) => {
                const s = impact.data!.daysFromRequestTo[step];
                const days = (d: number | null) =>
                  d === null ? '—' : intl.formatMessage({ id: 'screening.days' }, { days: d });
                return (
                  <tr key={step} data-step={step}>
                    <th scope="row">{t(`audit.step.${step}`)}</th>
                    <td>{days(s.medianDays)}</td>
                    <td>{days(s.p90Days)}</td>
                    <td>
                      <FormattedNumber value={s.cases} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p>
            <FormattedMessage
              id="audit.shares"
              values={{
                offered: intl.formatNumber(impact.data.shareWithOffer ?? 0, { style: 'percent' }),
                matched: intl.formatNumber(impact.data.shareMatched ?? 0, { style: 'percent' }),
                onTime: impact.data.reports.onTime,
                overdue: impact.data.reports.overdue,
              }}
            />
          </p>
        </>
      )}
      <h2>{t('audit.verifyTitle')}</h2>
      <p className="hint">{t('audit.verifyHint')}</p>
      <button
        type="button"
        className="primary"
        onClick={() => verify.mutate()}
        disabled={verify.isPending}
      >
        {verify.isPending ? t('common.working') : t('audit.verify')}
      </button>
      {verify.error ? <Refusal error={verify.error} /> : null}
      {verify.data && (
        <div
          role="status"
          className={verify.data.intact ? 'verdict ok' : 'verdict bad'}
          data-intact={verify.data.intact}
        >
          <p>
            <strong>
              {verify.data.intact ? (
                t('audit.intact')
              ) : (
                <FormattedMessage
                  id="audit.findings"
                  values={{ count: verify.data.findingsCount }}
                />
              )}
            </strong>
          </p>
          <p>
            <FormattedMessage
              id="audit.checked"
              values={{
                events: verify.data.eventsChecked,
                streams: verify.data.streamsChecked,
                when: (
                  <FormattedDate
                    value={verify.data.checkedAt}
                    dateStyle="medium"
                    timeStyle="short"
                  />
                ),
              }}
            />
          </p>
          <p className="hash">
            <FormattedMessage
              id="audit.logHash"
              values={{ position: verify.data.logHead.position }}
            />{' '}
            <code>{verify.data.logHead.logHash}</code>
          </p>
          <ul>
            {verify.data.checkpoints.map((c) => (
              <li key={`${c.position}-${c.label}`}>
                <FormattedMessage
                  id={c.holds ? 'audit.checkpointHolds' : 'audit.checkpointFails'}
                  values={{ position: c.position }}
                />
              </li>
            ))}
            {verify.data.findings.map((f, i) => (
              <li key={i}>
                {f.problem} — {f.streamId} #{f.globalPosition}: {f.found}
              </li>
            ))}
          </ul>
        </div>
      )}
      <h2>{t('audit.evidenceTitle')}</h2>
      <form className="narrow" onSubmit={(e) => e.preventDefault()}>
        <Field name="caseId" label={t('audit.caseId')} hint={t('audit.evidenceHint')}>
          {(props) => (
            <input {...props} value={caseId} onChange={(e) => setCaseId(e.target.value.trim())} />
          )}
        </Field>
        {caseId && (
          <a
            className="button"
            href={`/audit/evidence?caseId=${encodeURIComponent(caseId)}`}
            download
          >
            {t('audit.download')}
          </a>
        )}
      </form>
    </section>
  );
}
