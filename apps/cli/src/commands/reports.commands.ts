import { writeFileSync } from 'node:fs';
import { panelFromLog, renderPanelReport } from '@keystone/audit';
import { impactFigures, panelCsv, replayCaseRows } from '@keystone/projections';
import { isoDate, option, print, UsageError, yearOption, type Command } from '../cli-kit';

/** `panel --year Y [--as-of T] --format html|csv|json [--out FILE]`, straight from the log. */
export const panel: Command = async ({ values, store }) => {
  const year = yearOption(values, true)!;
  const format = option(values, 'format') ?? 'html';
  if (!['html', 'csv', 'json'].includes(format))
    throw new UsageError(`--format must be html, csv or json, got "${format}"`);
  const asOfRaw = option(values, 'as-of');
  const { figures, rows, provenance } = await panelFromLog(
    await store(),
    year,
    asOfRaw ? isoDate(asOfRaw, 'as-of') : null,
    new Date(),
  );
  const output =
    format === 'html'
      ? renderPanelReport(figures, rows, provenance)
      : format === 'csv'
        ? panelCsv(figures)
        : `${JSON.stringify({ ...figures, provenance }, null, 2)}\n`;
  const out = option(values, 'out');
  if (out) {
    writeFileSync(out, output);
    console.error(
      `panel ${year} (${format}) written to ${out}: ${figures.totals.received} requests received, ${figures.successStories.length} success stories, log position ${provenance.logPosition}`,
    );
  } else {
    process.stdout.write(output);
  }
  return 0;
};

/** `impact [--year Y] [--region R] [--as-of T]`, straight from the log. */
export const impact: Command = async ({ json, values, store }) => {
  const year = yearOption(values, false);
  const asOfRaw = option(values, 'as-of');
  const asOf = asOfRaw ? isoDate(asOfRaw, 'as-of') : null;
  const rows = await replayCaseRows(await store(), { asOf });
  const figures = impactFigures(rows.values(), { year, region: option(values, 'region') });
  return print(json, { ...figures, asOf }, (f) =>
    [
      `impact${year ? ` of ${year}` : ''}${asOf ? ` as of ${asOf}` : ''}: ${f.cases} cases`,
      ...Object.entries(f.daysFromRequestTo).map(
        ([step, s]) =>
          `  request → ${step}: median ${s.medianDays ?? '—'} days, 90th percentile ${s.p90Days ?? '—'} (${s.cases} cases)`,
      ),
      `  received an offer: ${f.shareWithOffer ?? '—'}; matched: ${f.shareMatched ?? '—'}`,
      `  progress reports on time: ${f.reports.onTime}, overdue: ${f.reports.overdue}`,
      `  recommendation moves: ${
        Object.entries(f.recommendationMoves)
          .map(([m, n]) => `${m} ${n}`)
          .join(', ') || 'none yet'
      }`,
    ].join('\n'),
  );
};
