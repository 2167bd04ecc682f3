import { writeFileSync } from 'node:fs';
import { panelFromLog, renderPanelReport } from '@keystone/audit';
import { impactFigures, panelCsv, replayCaseRows } from '@keystone/projections';
import { isoDate, option, print, UsageError, yearOption, type Command } from '../cli-kit';

/**
 * `panel --year Y [--as-of T] [--as-of-effective T] --format html|csv|json [--out FILE]`, straight
 * from the log: --as-of is what Keystone had recorded by then (system time), --as-of-effective what
 * had taken effect by then (business time: the question about the world).
 */
export const panel: Command = async ({ values, store }) => {
  const year = yearOption(values, true)!;
  const format = option(values, 'format') ?? 'html';
  if (!['html', 'csv', 'json'].includes(format))
    throw new UsageError(`--format must be html, csv or json, got "${format}"`);
  const { asOf, asOfEffective } = asOfOptions(values);
  const { figures, rows, provenance } = await panelFromLog(
    await store(),
    year,
    asOf,
    new Date(),
    asOfEffective,
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

/** `impact [--year Y] [--region R] [--as-of T] [--as-of-effective T]`, straight from the log. */
export const impact: Command = async ({ json, values, store }) => {
  const year = yearOption(values, false);
  const { asOf, asOfEffective } = asOfOptions(values);
  const rows = await replayCaseRows(await store(), { asOf, asOfEffective });
  const figures = impactFigures(rows.values(), { year, region: option(values, 'region') });
  return print(json, { ...figures, asOf, asOfEffective }, (f) =>
    [
      `impact${year ? ` of ${year}` : ''}${asOf ? ` as recorded by ${asOf}` : ''}${asOfEffective ? ` as taken effect by ${asOfEffective}` : ''}: ${f.cases} cases`,
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

/** --as-of (recorded by, system time) and --as-of-effective (taken effect by, business time). */
function asOfOptions(values: Parameters<Command>[0]['values']): {
  asOf: string | null;
  asOfEffective: string | null;
} {
  const asOf = option(values, 'as-of');
  const asOfEffective = option(values, 'as-of-effective');
  return {
    asOf: asOf ? isoDate(asOf, 'as-of') : null,
    asOfEffective: asOfEffective ? isoDate(asOfEffective, 'as-of-effective') : null,
  };
}
