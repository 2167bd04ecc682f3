import {
  memberState,
  REFERENCE_DATA_EDITION,
  regionalGroupName,
  themeLabel,
} from '@keystone/reference-data';
import type { CaseRow, PanelFigures } from '@keystone/projections';

/** What the report says it was computed from, so any reader can check it with `keystone verify`. */
export interface ReportProvenance {
  readonly asOf: string | null;
  /** Business time: only what had taken effect by then (null: everything recorded). */
  readonly asOfEffective?: string | null;
  readonly computedAt: string;
  readonly logPosition: number;
  /**
   * The log-wide chain's hash at that position (docs/hash-chain.md): it covers every event up to it,
   * in every stream. Null for an empty log.
   */
  readonly logHash: string | null;
  /** The latest signed checkpoint at or before that position, when one was taken. */
  readonly checkpoint: {
    readonly logPosition: number;
    readonly logHash: string;
    readonly createdAt: string;
    readonly signer: string;
  } | null;
  readonly synthetic: boolean;
}

const STAGE_LABELS: Record<string, string> = {
  received: 'Requests received',
  consented: 'Consented',
  screened: 'Screened',
  matched: 'Matched',
  deployed: 'Experts deployed',
  reportedOn: 'Progress reported',
  profiled: 'Success profiled',
};

const DIRECTION_LABELS: Record<string, string> = {
  'north-south': 'North–South',
  'south-south': 'South–South',
  'south-north': 'South–North',
  'north-north': 'North–North',
  multilateral: 'Multilateral',
  'civil-society': 'Civil society (NGO)',
  'peer-institution': 'Peer institution (NHRI)',
};

/**
 * The annual item 10 panel as one self-contained HTML page: no scripts, no external fonts or
 * images, charts as inline SVG with a title, labels and a data table beside each, for print and
 * for screen readers.
 */
export function renderPanelReport(
  figures: PanelFigures,
  rows: readonly CaseRow[],
  provenance: ReportProvenance,
): string {
  const year = figures.year;
  const matchedThisYear = rows.filter((r) => r.matchedAt?.startsWith(String(year)));
  const matchDays = matchedThisYear.map(
    (r) => (Date.parse(r.matchedAt!) - Date.parse(r.requestedAt)) / 86_400_000,
  );
  const overdue = rows.flatMap((r) =>
    r.deployments
      .filter((d) => d.overdueRecordedAt?.startsWith(String(year)))
      .map((d) => ({ row: r, d })),
  );
  const received = figures.totals.received;
  const sections = [
    section(
      'funnel',
      `The ${year} funnel`,
      barChart(
        'funnel-chart',
        `Cases of ${year} at each stage`,
        Object.entries(figures.totals).map(([k, v]) => [STAGE_LABELS[k] ?? k, v]),
      ),
    ),
    section(
      'regions',
      'Requests by regional group',
      barChart(
        'region-chart',
        `Requests received in ${year}, by regional group`,
        Object.entries(figures.byRegion).map(([k, v]) => [
          regionalGroupName(k as never),
          v.received,
        ]),
      ),
    ),
    section(
      'cooperation',
      'Direction of cooperation',
      barChart(
        'direction-chart',
        `Providers of the offers matched in ${year}, by direction of cooperation`,
        Object.entries(figures.byDirection).map(([k, v]) => [DIRECTION_LABELS[k] ?? k, v]),
      ) +
        '<p>Multilateral: UN entities, regional and intergovernmental organisations, development partners and banks. A joint offer counts once for each of its providers, in that provider’s own direction.</p>',
    ),
    section(
      'platform',
      'The voluntary platform',
      `<p>${figures.platform.sessionsHeld} session(s) held in ${year}; ${figures.platform.statesPresenting.length} State(s) presenting${
        figures.platform.statesPresenting.length
          ? ` (${figures.platform.statesPresenting.map((s) => escape(memberState(s)?.name ?? s)).join(', ')})`
          : ''
      }: ${figures.platform.presentations} presentation(s) and ${figures.platform.reportBacks} report-back(s) on support received.</p>`,
    ),
    section(
      'sdgs',
      'Sustainable Development Goals',
      (Object.keys(figures.bySdgGoal).length === 0
        ? `<p>No request received in ${year} named the SDG targets it serves.</p>`
        : barChart(
            'sdg-chart',
            `Requests received in ${year}, by the SDG goal of the targets they serve`,
            Object.entries(figures.bySdgGoal)
              .sort(([a], [b]) => Number(a) - Number(b))
              .map(([goal, counts]) => [`Goal ${goal}`, counts.received]),
          ) + '<p>A request serving targets of two goals counts under each.</p>') +
        `<p>${figures.notTiedToRecommendation.requests} request(s) (${pct(figures.notTiedToRecommendation.requests, received)}) were lodged not tied to a specific recommendation.</p>`,
    ),
    section(
      'ldc-sids',
      'Least developed countries and small island developing States',
      barChart('ldc-sids-chart', `Share of the ${received} requests received in ${year}`, [
        ['LDC', figures.ldc.received],
        ['SIDS', figures.sids.received],
        [
          'Other',
          Math.max(
            0,
            received - figures.ldc.received - figures.sids.received + overlap(rows, year),
          ),
        ],
      ]) +
        `<p>${pct(figures.ldc.received, received)} of requests came from LDCs and ${pct(figures.sids.received, received)} from SIDS. ${bothSentence(overlap(rows, year))} Each request counts with the flags in force on the day it was made.</p>`,
    ),
    section(
      'time-to-match',
      'Time from request to match',
      barChart(
        'match-chart',
        `Cases matched in ${year}, by days from request to match`,
        histogram(matchDays),
      ),
    ),
    section(
      'overdue',
      'Overdue progress reports',
      overdue.length === 0
        ? `<p>No progress report fell overdue in ${year}.</p>`
        : table(
            ['State', 'Deployment', 'Report was due'],
            overdue.map(({ row, d }) => [
              row.stateName,
              d.deploymentId,
              d.reportDueAt.slice(0, 10),
            ]),
          ),
    ),
    section('success-stories', `Success stories of ${year}`, stories(figures)),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Item 10 panel ${year} — Keystone</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Human Rights Council, item 10: the ${year} panel</h1>
<p class="lede">Technical assistance and capacity-building requested by States, from request to results.</p>
${provenance.synthetic ? '<p class="synthetic" role="note"><strong>Synthetic data.</strong> These figures come from <code>keystone demo</code>, not from real cases.</p>' : ''}
</header>
<main>
${sections.join('\n')}
</main>
<footer id="provenance">
<h2>Where these figures come from</h2>
<dl>
<dt>As of</dt><dd>${provenance.asOf ? escape(provenance.asOf) : 'the log as it stood when computed'}</dd>
${provenance.asOfEffective ? `<dt>Taken effect by</dt><dd>${escape(provenance.asOfEffective)} (business time)</dd>` : ''}
<dt>Computed at</dt><dd>${escape(provenance.computedAt)}</dd>
<dt>Log position</dt><dd>${provenance.logPosition}</dd>
<dt>Log hash at that position</dt><dd><code>${provenance.logHash ? escape(provenance.logHash) : 'none: the log is empty'}</code></dd>
<dt>Reference data</dt><dd>UN Member States, regional groups, LDC and SIDS lists as of ${escape(REFERENCE_DATA_EDITION.asOf)} (checked ${escape(REFERENCE_DATA_EDITION.checkedOn)}); each request counts with the LDC and SIDS flags in force on the day it was made (<code>GET /reference/states</code> lists the sources and every dated graduation)</dd>
<dt>Latest signed checkpoint</dt><dd>${
    provenance.checkpoint
      ? `position ${provenance.checkpoint.logPosition}, log hash <code>${escape(provenance.checkpoint.logHash)}</code>, signed ${escape(provenance.checkpoint.createdAt)} by <code>${escape(provenance.checkpoint.signer)}</code>`
      : 'none taken yet (<code>keystone checkpoint</code>)'
  }</dd>
</dl>
<p>Every figure is a fold of Keystone's append-only, hash-chained event log up to that position. The log hash covers every event up to it, in every stream. Check the log with <code>keystone verify</code>, and that it still extends a published checkpoint with <code>keystone verify --against</code>.</p>
</footer>
</body>
</html>
`;
}

/** A State can be both an LDC and a SIDS: say how many requests the two bars share. */
function bothSentence(both: number): string {
  if (both === 0)
    return 'No request came from a State that is both, so the bars and Other add up to the requests received.';
  return `${both} ${both === 1 ? 'request came' : 'requests came'} from States that are both, counted in each bar, so the bars and Other add up to more than the requests received by ${both}.`;
}

function overlap(rows: readonly CaseRow[], year: number): number {
  return rows.filter((r) => r.requestedAt.startsWith(String(year)) && r.ldc && r.sids).length;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}" aria-labelledby="${id}-title"><h2 id="${id}-title">${escape(title)}</h2>${body}</section>`;
}

/** A horizontal bar chart in SVG, with its figures again in a table for screen readers and print. */
function barChart(id: string, title: string, data: [string, number][]): string {
  const max = Math.max(1, ...data.map(([, v]) => v));
  const rowHeight = 28;
  const labelWidth = 220;
  const width = 640;
  const bars = data
    .map(([label, value], i) => {
      const y = i * rowHeight + 8;
      const w = Math.round(((width - labelWidth - 60) * value) / max);
      return `<g><text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${escape(label)}</text><rect x="${labelWidth}" y="${y + 4}" width="${w}" height="18" rx="2"></rect><text x="${labelWidth + w + 6}" y="${y + 17}">${value}</text></g>`;
    })
    .join('');
  const height = data.length * rowHeight + 16;
  return `<figure>
<figcaption>${escape(title)}</figcaption>
<svg role="img" aria-labelledby="${id}-t" viewBox="0 0 ${width} ${height}" width="100%" height="${height}"><title id="${id}-t">${escape(title)}</title>${bars}</svg>
${table(
  ['', 'Number'],
  data.map(([label, value]) => [label, String(value)]),
)}
</figure>`;
}

function histogram(days: number[]): [string, number][] {
  const buckets: [string, (d: number) => boolean][] = [
    ['Under 30 days', (d) => d < 30],
    ['30–89 days', (d) => d >= 30 && d < 90],
    ['90–179 days', (d) => d >= 90 && d < 180],
    ['180 days or more', (d) => d >= 180],
  ];
  return buckets.map(([label, within]) => [label, days.filter(within).length]);
}

function stories(figures: PanelFigures): string {
  if (figures.successStories.length === 0)
    return `<p>No success story was profiled for ${figures.year}.</p>`;
  return figures.successStories
    .map(
      (s) => `<article class="story">
<h3>${escape(s.stateName)}: ${escape(s.summary)}</h3>
<p><strong>Themes:</strong> ${s.themes.map((t) => escape(themeLabel(t))).join(', ')}. <strong>With:</strong> ${escape(s.providers.join(', ') || '—')}.</p>
<p><strong>What was done:</strong> ${escape(s.whatWasDone || '—')}</p>
${table(
  ['Recommendation', 'Status at the last report'],
  s.progress.map((p) => [p.reference, p.status.replace(/-/g, ' ')]),
)}
</article>`,
    )
    .join('\n');
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th scope="col">${escape(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escape(c)}</th>` : `<td>${escape(c)}</td>`)).join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
}

const pct = (part: number, whole: number) =>
  whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`;

function escape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 56rem; padding: 1.5rem; color: #1b1f24; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { font-size: 1.25rem; border-bottom: 2px solid #0b5cab; padding-bottom: .2rem; margin-top: 2rem; }
.lede { color: #444; margin-top: 0; } .synthetic { background: #fff4ce; border: 1px solid #c99a00; padding: .5rem .75rem; }
svg rect { fill: #0b5cab; } svg text { font-size: 13px; fill: #1b1f24; }
figure { margin: 0; } figcaption { font-size: .9rem; color: #444; margin: .25rem 0; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; } th, td { border: 1px solid #c8ccd1; padding: .25rem .6rem; text-align: left; } td { text-align: right; }
.story { border-left: 4px solid #0b5cab; padding-left: .8rem; margin: 1rem 0; } .story h3 { margin: .2rem 0; font-size: 1.05rem; }
footer { margin-top: 2.5rem; font-size: .9rem; } dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; } dd { margin: 0; word-break: break-all; }
@media print { body { max-width: none; } h2 { break-after: avoid; } section, figure { break-inside: avoid; } }
`;
