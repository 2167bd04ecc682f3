import { useEffect, useState } from 'react';
import { FormattedDate, FormattedMessage, FormattedNumber, useIntl } from 'react-intl';
import { api } from '../../api/client';
import type { components } from '../../api/schema';

const STAGES = [
  'received',
  'consented',
  'screened',
  'matched',
  'deployed',
  'reportedOn',
  'profiled',
] as const;
/** What GET /public/panel/{year} answers, as the API's OpenAPI document declares it. */
type PublicPanelView = components['schemas']['PublicPanelView'];

type Load =
  | { state: 'loading' }
  | { state: 'failed'; code: string }
  | { state: 'ready'; panel: PublicPanelView };

/** The public page: the annual panel's aggregate figures and its success stories, no sign-in. */
export function PublicPanel() {
  const intl = useIntl();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  useEffect(() => {
    let current = true;
    setLoad({ state: 'loading' });
    api
      .GET('/public/panel/{year}', { params: { path: { year } } })
      .then(({ data, error, response }) => {
        if (!current) return;
        if (error || !data)
          setLoad({
            state: 'failed',
            code:
              (error as unknown as { code?: string } | undefined)?.code ?? String(response.status),
          });
        else setLoad({ state: 'ready', panel: data });
      })
      .catch(() => current && setLoad({ state: 'failed', code: 'NETWORK' }));
    return () => {
      current = false;
    };
  }, [year]);

  return (
    <article aria-busy={load.state === 'loading'}>
      <h1>
        <FormattedMessage id="panel.title" values={{ year }} />
      </h1>
      <p className="intro">
        <FormattedMessage id="panel.intro" />
      </p>
      <label className="year">
        {intl.formatMessage({ id: 'panel.year' })}{' '}
        <select value={year} onChange={(event) => setYear(Number(event.target.value))}>
          {[thisYear, thisYear - 1, thisYear - 2].map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      </label>
      {load.state === 'loading' && (
        <p role="status">
          <FormattedMessage id="panel.loading" />
        </p>
      )}
      {load.state === 'failed' && (
        <p role="alert" className="error">
          <FormattedMessage id="panel.error" values={{ code: load.code }} />
        </p>
      )}
      {load.state === 'ready' && <Figures panel={load.panel} />}
    </article>
  );
}

function Figures({ panel }: { panel: PublicPanelView }) {
  const intl = useIntl();
  /** A theme of the vocabulary in the reader's language; a theme proposed in free text as written. */
  const themeName = (slug: string) =>
    intl.messages[`theme.${slug}`]
      ? intl.formatMessage({ id: `theme.${slug}` })
      : slug.replace(/-/g, ' ');
  return (
    <>
      <section aria-labelledby="funnel">
        <h2 id="funnel">
          <FormattedMessage id="panel.funnel" />
        </h2>
        <ol className="funnel">
          {STAGES.map((stage) => (
            <li key={stage} data-stage={stage}>
              <span className="figure">
                <FormattedNumber value={panel.totals[stage]} />
              </span>{' '}
              <FormattedMessage id={`panel.stage.${stage}`} />
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="regions">
        <h2 id="regions">
          <FormattedMessage id="panel.byRegion" />
        </h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{intl.formatMessage({ id: 'panel.region' })}</th>
              <th scope="col">{intl.formatMessage({ id: 'panel.requests' })}</th>
              <th scope="col">{intl.formatMessage({ id: 'panel.matched' })}</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(panel.byRegion).map(([region, counts]) => (
              <tr key={region}>
                <th scope="row">{intl.formatMessage({ id: `panel.region.${region}` })}</th>
                <td>
                  <FormattedNumber value={counts.received} />
                </td>
                <td>
                  <FormattedNumber value={counts.matched} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="stories">
        <h2 id="stories">
          <FormattedMessage id="panel.stories" />
        </h2>
        {panel.successStories.length === 0 ? (
          <p>
            <FormattedMessage id="panel.noStories" values={{ year: panel.year }} />
          </p>
        ) : (
          <ul className="stories">
            {panel.successStories.map((story, i) => (
              <li key={i}>
                <h3>{story.stateName}</h3>
                <p>{story.summary}</p>
                <p className="meta">
                  <FormattedMessage
                    id="panel.storyThemes"
                    values={{
                      count: story.themes.length,
                      themes: intl.formatList(story.themes.map(themeName)),
                    }}
                  />
                  {story.providers.length > 0 && (
                    <>
                      {' · '}
                      <FormattedMessage
                        id="panel.storyProviders"
                        values={{ providers: intl.formatList(story.providers) }}
                      />
                    </>
                  )}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <p className="meta">
        <FormattedMessage
          id="panel.computedAt"
          values={{
            when: <FormattedDate value={panel.computedAt} dateStyle="long" timeStyle="short" />,
          }}
        />
      </p>
    </>
  );
}
