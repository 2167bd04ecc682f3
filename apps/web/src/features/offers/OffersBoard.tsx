import { useQuery } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link } from 'react-router';
import { api, answer, readYourWrites } from '../../api/client';
import { Refusal } from '../common/Refusal';

type Board = Record<
  string,
  {
    caseId: string;
    stateName: string;
    stage: string;
    offers: { offerId: string; provider: string }[];
    otherOpenOffers?: number;
  }[]
>;

/** Requests open for offers, by theme: a provider's own offers, and others' as a count. */
export function OffersBoard() {
  const intl = useIntl();
  const board = useQuery({
    queryKey: ['matchmaking'],
    queryFn: () =>
      answer<Board>(
        api.GET('/matchmaking', {
          params: { query: { waitForPosition: readYourWrites() } as never },
        }),
      ),
  });
  const themes = Object.keys(board.data ?? {}).sort();
  return (
    <section>
      <h1>
        <FormattedMessage id="offers.title" />
      </h1>
      {board.error ? <Refusal error={board.error} /> : null}
      {board.data && themes.length === 0 && (
        <p role="status">
          <FormattedMessage id="offers.empty" />
        </p>
      )}
      {themes.map((theme) => (
        <section key={theme} aria-labelledby={`theme-${theme}`}>
          <h2 id={`theme-${theme}`}>
            {intl.formatMessage({ id: `theme.${theme}`, defaultMessage: theme })}
          </h2>
          <ul className="board">
            {board.data![theme].map((entry) => (
              <li key={entry.caseId}>
                <Link to={`/cases/${entry.caseId}`}>{entry.stateName}</Link>{' '}
                <span className={`stage stage-${entry.stage}`}>
                  {intl.formatMessage({ id: `stage.${entry.stage}` })}
                </span>{' '}
                <FormattedMessage
                  id="offers.counts"
                  values={{ mine: entry.offers.length, others: entry.otherOpenOffers ?? 0 }}
                />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
