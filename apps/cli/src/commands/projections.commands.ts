import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { asOfStore, type EventStore } from '@keystone/event-store';
import { PROJECTIONS, ProjectionRunner, rebuildProjection } from '@keystone/projections';
import { sqlDatabaseFor, SqliteDatabase } from '@keystone/sql';
import {
  bar,
  isoDate,
  option,
  print,
  progress,
  rate,
  requiredOption,
  UsageError,
  type Command,
} from '../cli-kit';

export const rebuild: Command = async ({ json, positionals, store }) => {
  const which = positionals[1];
  const names = PROJECTIONS.map((p) => p.name);
  if (!which || (which !== 'all' && !names.includes(which)))
    throw new UsageError(`rebuild needs a projection (${names.join(', ')}) or all`);
  const log = await store();
  const { db, close } = sqlDatabaseFor(log);
  try {
    const results = [];
    for (const projection of PROJECTIONS.filter((p) => which === 'all' || p.name === which)) {
      const started = Date.now();
      const position = await rebuildProjection(db, log, projection, {
        onProgress: ({ position: at, target, streams }) =>
          progress(
            json,
            streams !== undefined
              ? `rebuild ${projection.name}: folding streams up to position ${target}: ${streams} done`
              : `rebuild ${projection.name}: ${bar(at, target)} ${at}/${target} (${rate(at, started)} events/s)`,
          ),
      });
      if (!json) process.stderr.write('\n');
      results.push({
        projection: projection.name,
        position,
        seconds: (Date.now() - started) / 1000,
      });
    }
    return print(json, results, (r) =>
      r
        .map(
          (x) =>
            `rebuilt ${x.projection} up to position ${x.position} in ${x.seconds.toFixed(1)} s`,
        )
        .join('\n'),
    );
  } finally {
    close();
  }
};

/**
 * `replay (--to <time|position> | --to-effective <time>) --out FILE`: the read models as of that
 * point, built into a separate SQLite file: as Keystone had recorded the log by a time or position
 * (--to), or as the world stood by a time (--to-effective: every act that had taken effect by then,
 * whenever it was keyed in). The live read models are not touched.
 */
export const replay: Command = async ({ json, values, store }) => {
  const effective = option(values, 'to-effective');
  const to = effective ?? requiredOption(values, 'to', 'a log position or an ISO 8601 time');
  const out = requiredOption(values, 'out', 'the SQLite file to build the read models in');
  const bounded = effective
    ? asOfStore(await store(), { asOfEffective: isoDate(effective, 'to-effective') })
    : boundedLog(await store(), to);
  const file = new Database(out);
  file.pragma('journal_mode = WAL');
  const db = new SqliteDatabase(file);
  const started = Date.now();
  const results = [];
  try {
    for (const projection of PROJECTIONS) {
      const runner = new ProjectionRunner(db, bounded, projection, { batchSize: 5_000 });
      await runner.init();
      const position = await runner.catchUp((at) =>
        progress(
          json,
          `replay ${projection.name}: at position ${at} (${rate(at, started)} events/s)`,
        ),
      );
      results.push({ projection: projection.name, position });
    }
  } finally {
    file.close();
  }
  if (!json) process.stderr.write('\n');
  writeFileSync(`${out}.replay.json`, JSON.stringify({ to, results }, null, 2));
  return print(json, { to, out, results }, (r) =>
    r.results
      .map((x) => `replayed ${x.projection} up to position ${x.position} into ${r.out}`)
      .join('\n'),
  );
};

/** The log as it stood at a position, or as Keystone had recorded it by a time (the one as-of view). */
function boundedLog(store: EventStore, to: string): EventStore {
  if (/^\d+$/.test(to)) return asOfStore(store, { position: Number(to) });
  return asOfStore(store, { asOf: isoDate(to, 'to') });
}
