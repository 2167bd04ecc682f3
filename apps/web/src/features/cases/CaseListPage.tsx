import { useQuery, keepPreviousData } from '@tanstack/react-query';
import { FormattedDate, FormattedMessage, FormattedNumber, useIntl } from 'react-intl';
import { Link, useSearchParams } from 'react-router';
import { api, answer, readYourWrites } from '../../api/client';
import { Refusal } from '../common/Refusal';
import { useMe } from '../auth/session';
import { REGIONS, STAGES, THEMES, type CaseList } from './views';

const FILTERS = ['stage', 'region', 'state', 'theme', 'text', 'overdue'] as const;

/** The case list, every filter in the address (so a filtered list can be bookmarked and shared). */
export function CaseListPage() {
  const intl = useIntl();
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(
    FILTERS.map((f) => [f, params.get(f) ?? '']).filter(([, v]) => v !== ''),
  ) as Partial<Record<(typeof FILTERS)[number], string>>;
  const list = useQuery({
    queryKey: ['cases', filters],
    queryFn: () =>
      answer<CaseList>(
        api.GET('/cases', {
          params: {
            query: {
              ...filters,
              overdue: filters.overdue === 'true' ? true : undefined,
              waitForPosition: readYourWrites(),
            } as never,
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const canRequest = me?.role === 'state-focal-point' || me?.role === 'case-officer';
  return (
    <section>
      <div className="title-row">
        <h1>
          <FormattedMessage
            id={me?.role === 'state-focal-point' ? 'cases.titleState' : 'cases.title'}
            values={{ state: me?.state }}
          />
        </h1>
        {canRequest && (
          <Link className="button" to="/cases/new">
            <FormattedMessage id="request.new" />
          </Link>
        )}
      </div>
      <form
        className="filters"
        role="search"
        aria-label={intl.formatMessage({ id: 'cases.filters' })}
        onSubmit={(e) => e.preventDefault()}
      >
        <label>
          <FormattedMessage id="cases.stage" />
          <select value={filters.stage ?? ''} onChange={(e) => set('stage', e.target.value)}>
            <option value="">{intl.formatMessage({ id: 'cases.any' })}</option>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {intl.formatMessage({ id: `stage.${s}` })}
              </option>
            ))}
          </select>
        </label>
        {me?.role !== 'committee-member' && me?.role !== 'state-focal-point' && (
          <label>
            <FormattedMessage id="panel.region" />
            <select value={filters.region ?? ''} onChange={(e) => set('region', e.target.value)}>
              <option value="">{intl.formatMessage({ id: 'cases.any' })}</option>
              {REGIONS.map((r) => (
                <option key={r} value={r}>
                  {intl.formatMessage({ id: `panel.region.${r}` })}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          <FormattedMessage id="cases.theme" />
          <select value={filters.theme ?? ''} onChange={(e) => set('theme', e.target.value)}>
            <option value="">{intl.formatMessage({ id: 'cases.any' })}</option>
            {THEMES.map((theme) => (
              <option key={theme} value={theme}>
                {intl.formatMessage({ id: `theme.${theme}` })}
              </option>
            ))}
          </select>
        </label>
        {me?.role !== 'state-focal-point' && (
          <label>
            <FormattedMessage id="cases.stateFilter" />
            <input
              value={filters.state ?? ''}
              maxLength={3}
              size={5}
              onChange={(e) => set('state', e.target.value.toUpperCase())}
            />
          </label>
        )}
        <label>
          <FormattedMessage id="cases.text" />
          <input
            type="search"
            value={filters.text ?? ''}
            onChange={(e) => set('text', e.target.value)}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={filters.overdue === 'true'}
            onChange={(e) => set('overdue', e.target.checked ? 'true' : '')}
          />
          <FormattedMessage id="cases.overdue" />
        </label>
      </form>
      {list.error ? <Refusal error={list.error} /> : null}
      {list.data && (
        <>
          <p role="status" className="count">
            <FormattedMessage id="cases.count" values={{ count: list.data.total }} />
          </p>
          <table className="cases">
            <thead>
              <tr>
                <th scope="col">
                  <FormattedMessage id="cases.state" />
                </th>
                <th scope="col">
                  <FormattedMessage id="cases.request" />
                </th>
                <th scope="col">
                  <FormattedMessage id="cases.stage" />
                </th>
                <th scope="col">
                  <FormattedMessage id="cases.requestedAt" />
                </th>
                <th scope="col">
                  <FormattedMessage id="cases.offers" />
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((row) => (
                <tr key={row.caseId} data-case={row.caseId}>
                  <td>{row.stateName}</td>
                  <td>
                    <Link to={`/cases/${row.caseId}`}>{row.description}</Link>
                  </td>
                  <td>
                    <span className={`stage stage-${row.stage}`}>
                      {intl.formatMessage({ id: `stage.${row.stage}` })}
                    </span>
                    {row.overdue && (
                      <span className="badge">
                        <FormattedMessage id="cases.overdueBadge" />
                      </span>
                    )}
                  </td>
                  <td>
                    <FormattedDate value={row.requestedAt} dateStyle="medium" />
                  </td>
                  <td>
                    <FormattedNumber value={row.offers.length} />
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
