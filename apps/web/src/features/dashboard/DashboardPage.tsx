import { useQuery } from '@tanstack/react-query';
import { FormattedMessage, FormattedNumber, useIntl } from 'react-intl';
import { Link } from 'react-router';
import { api, answer, readYourWrites } from '../../api/client';
import { Refusal } from '../common/Refusal';
import { STAGES } from '../cases/views';

interface Dashboard {
  total: number;
  byStage: Record<string, number>;
  overdue: number;
  waitingOn: { state: number; committee: number; providers: number; officers: number };
}

/** Where each waiting case is, in the list: the stages each party moves a case on from. */
const WAITING: [key: keyof Dashboard['waitingOn'], filter: string][] = [
  ['state', 'stage=awaiting-consent'],
  ['committee', 'stage=awaiting-screening'],
  ['providers', 'stage=open-for-offers'],
  ['officers', 'stage=matched'],
];

/** The case officer's dashboard: what waits on whom, what is overdue, and the funnel. */
export function DashboardPage() {
  const intl = useIntl();
  const dashboard = useQuery({
    queryKey: ['dashboard'],
    queryFn: () =>
      answer<Dashboard>(
        api.GET('/dashboard', {
          params: { query: { waitForPosition: readYourWrites() } as never },
        }),
      ),
  });
  if (dashboard.error) return <Refusal error={dashboard.error} />;
  const d = dashboard.data;
  const widest = Math.max(1, ...Object.values(d?.byStage ?? {}));
  return (
    <section>
      <h1>
        <FormattedMessage id="dashboard.title" />
      </h1>
      {!d ? (
        <p role="status">
          <FormattedMessage id="common.loading" />
        </p>
      ) : (
        <>
          <h2>
            <FormattedMessage id="dashboard.waitingOn" />
          </h2>
          <ul className="tiles">
            {WAITING.map(([who, filter]) => (
              <li key={who} data-waiting={who}>
                <Link to={`/cases?${filter}`}>
                  <span className="figure">
                    <FormattedNumber value={d.waitingOn[who]} />
                  </span>
                  <span>{intl.formatMessage({ id: `dashboard.on.${who}` })}</span>
                </Link>
              </li>
            ))}
            <li data-waiting="overdue" className={d.overdue > 0 ? 'alert' : undefined}>
              <Link to="/cases?overdue=true">
                <span className="figure">
                  <FormattedNumber value={d.overdue} />
                </span>
                <span>{intl.formatMessage({ id: 'dashboard.overdue' })}</span>
              </Link>
            </li>
          </ul>
          <h2 id="funnel-title">
            <FormattedMessage id="dashboard.byStage" values={{ total: d.total }} />
          </h2>
          <table className="bars" aria-labelledby="funnel-title">
            <thead>
              <tr>
                <th scope="col">
                  <FormattedMessage id="cases.stage" />
                </th>
                <th scope="col">
                  <FormattedMessage id="dashboard.cases" />
                </th>
              </tr>
            </thead>
            <tbody>
              {STAGES.map((stage) => (
                <tr key={stage} data-stage={stage}>
                  <th scope="row">
                    <Link to={`/cases?stage=${stage}`}>
                      {intl.formatMessage({ id: `stage.${stage}` })}
                    </Link>
                  </th>
                  <td>
                    <div className="bar-cell">
                      <span
                        className="bar"
                        aria-hidden="true"
                        style={{ inlineSize: `${((d.byStage[stage] ?? 0) / widest) * 100}%` }}
                      />
                      <span className="value">
                        <FormattedNumber value={d.byStage[stage] ?? 0} />
                      </span>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
