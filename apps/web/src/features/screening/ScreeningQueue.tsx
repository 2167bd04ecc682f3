import { useQuery } from '@tanstack/react-query';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { Link } from 'react-router';
import { api, answer, readYourWrites } from '../../api/client';
import { useMe } from '../auth/session';
import { Refusal } from '../common/Refusal';

interface Queue {
  region: string | null;
  requests: {
    caseId: string;
    stateName: string;
    region: string;
    stage: string;
    waitingSince: string;
    waitingDays: number;
    themes: string[];
  }[];
}

/** A committee member's region's requests awaiting screening, oldest first, with days waited. */
export function ScreeningQueue() {
  const intl = useIntl();
  const { data: me } = useMe();
  const queue = useQuery({
    queryKey: ['screening-queue', me?.region],
    queryFn: () =>
      answer<Queue>(
        api.GET('/screening-queue', {
          params: {
            query: {
              ...(me?.region ? { region: me.region } : {}),
              waitForPosition: readYourWrites(),
            } as never,
          },
        }),
      ),
  });
  return (
    <section>
      <h1>
        {me?.region ? (
          <FormattedMessage
            id="screening.titleRegion"
            values={{ region: intl.formatMessage({ id: `panel.region.${me.region}` }) }}
          />
        ) : (
          <FormattedMessage id="screening.title" />
        )}
      </h1>
      {queue.error ? <Refusal error={queue.error} /> : null}
      {queue.data && queue.data.requests.length === 0 && (
        <p role="status">
          <FormattedMessage id="screening.empty" />
        </p>
      )}
      {queue.data && queue.data.requests.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">
                <FormattedMessage id="cases.state" />
              </th>
              <th scope="col">
                <FormattedMessage id="request.themes" />
              </th>
              <th scope="col">
                <FormattedMessage id="screening.waitingSince" />
              </th>
              <th scope="col">
                <FormattedMessage id="screening.daysWaited" />
              </th>
            </tr>
          </thead>
          <tbody>
            {queue.data.requests.map((r) => (
              <tr key={r.caseId}>
                <td>
                  <Link to={`/cases/${r.caseId}`}>{r.stateName}</Link>
                </td>
                <td>
                  {r.themes
                    .map((t) => intl.formatMessage({ id: `theme.${t}`, defaultMessage: t }))
                    .join(', ')}
                </td>
                <td>
                  <FormattedDate value={r.waitingSince} dateStyle="medium" />
                </td>
                <td>
                  <FormattedMessage id="screening.days" values={{ days: r.waitingDays }} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
