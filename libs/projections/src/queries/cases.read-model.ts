import { providersOf, type CaseRow } from '../cases/case-row';
import { casesProjection } from '../cases/cases.projection';
import { tableOf } from '../runner/projection';
import type { SqlDatabase } from '@keystone/sql';

export interface CaseFilter {
  readonly stage?: string;
  readonly region?: string;
  readonly state?: string;
  readonly theme?: string;
  readonly overdue?: boolean;
  /** Words to find in the description, the support sought or the State's name. */
  readonly text?: string;
  /** Providers see requests open for offers only. */
  readonly openForOffersOnly?: boolean;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
}

const TABLE = tableOf(casesProjection.name);

/** Queries of the cases read model. They read rows; they never fold streams. */
export class CasesReadModel {
  constructor(private readonly db: SqlDatabase) {}

  async byId(caseId: string): Promise<CaseRow | null> {
    const rows = await this.db.all<{ doc: string }>(`SELECT doc FROM ${TABLE} WHERE key = ?`, [
      caseId,
    ]);
    return rows[0] ? (JSON.parse(rows[0].doc) as CaseRow) : null;
  }

  async list(filter: CaseFilter, offset = 0, limit = 50): Promise<Page<CaseRow>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => (
      where.push(clause),
      params.push(...values)
    );
    if (filter.stage) add('stage = ?', filter.stage);
    if (filter.region) add('region = ?', filter.region);
    if (filter.state) add('state = ?', filter.state.toUpperCase());
    if (filter.overdue !== undefined) add('overdue = ?', filter.overdue ? 1 : 0);
    // As the case policy's openForOffers: consent standing, not declined, not closed.
    if (filter.openForOffersOnly)
      add("stage NOT IN ('closed', 'declined', 'awaiting-consent', 'suspended')");
    if (filter.theme) add('doc LIKE ?', `%"themes":[%${JSON.stringify(filter.theme)}%]%`);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    if (!filter.theme && !filter.text) {
      // Every filter is a column: page in SQL instead of reading every row.
      const [{ n }] = await this.db.all<{ n: number | string }>(
        `SELECT count(*) AS n FROM ${TABLE} ${clause}`,
        params,
      );
      const page = await this.db.all<{ doc: string }>(
        `SELECT doc FROM ${TABLE} ${clause} ORDER BY requested_at DESC, key LIMIT ? OFFSET ?`,
        [...params, limit, offset],
      );
      return {
        items: page.map((r) => JSON.parse(r.doc) as CaseRow),
        total: Number(n),
        offset,
        limit,
      };
    }
    let rows = (
      await this.db.all<{ doc: string }>(
        `SELECT doc FROM ${TABLE} ${clause} ORDER BY requested_at DESC, key`,
        params,
      )
    ).map((r) => JSON.parse(r.doc) as CaseRow);
    if (filter.theme) rows = rows.filter((r) => r.themes.includes(filter.theme!));
    if (filter.text) {
      const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
      rows = rows.filter((r) =>
        words.every((w) =>
          `${r.description} ${r.supportSought} ${r.stateName}`.toLowerCase().includes(w),
        ),
      );
    }
    return { items: rows.slice(offset, offset + limit), total: rows.length, offset, limit };
  }

  /** How many cases stand at each stage, and how many have a report overdue: counted in SQL. */
  async stageCounts(
    filter: Pick<CaseFilter, 'region' | 'state' | 'openForOffersOnly'>,
  ): Promise<{ byStage: Record<string, number>; overdue: number; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.region) {
      where.push('region = ?');
      params.push(filter.region);
    }
    if (filter.state) {
      where.push('state = ?');
      params.push(filter.state.toUpperCase());
    }
    if (filter.openForOffersOnly)
      where.push("stage NOT IN ('closed', 'declined', 'awaiting-consent', 'suspended')");
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // Two counts each an index answers alone (stage; overdue): never a read of the rows' documents.
    const rows = await this.db.all<{ stage: string; n: number | string }>(
      `SELECT stage, count(*) AS n FROM ${TABLE} ${clause} GROUP BY stage`,
      params,
    );
    const [late] = await this.db.all<{ n: number | string }>(
      `SELECT count(*) AS n FROM ${TABLE} ${clause ? `${clause} AND` : 'WHERE'} overdue = 1`,
      params,
    );
    const byStage: Record<string, number> = {};
    let total = 0;
    for (const row of rows) {
      byStage[row.stage] = Number(row.n);
      total += Number(row.n);
    }
    const overdue = Number(late?.n ?? 0);
    return { byStage, overdue, total };
  }

  /** Requests awaiting screening (or more information), oldest first: of one region, or of all. */
  async screeningQueue(
    region: string | null,
    now: Date,
  ): Promise<
    {
      caseId: string;
      state: string;
      stateName: string;
      region: string;
      stage: string;
      waitingSince: string;
      waitingDays: number;
      themes: readonly string[];
    }[]
  > {
    const rows = await this.db.all<{ doc: string }>(
      `SELECT doc FROM ${TABLE} WHERE ${region ? 'region = ? AND ' : ''}stage IN ('awaiting-screening', 'more-information')`,
      region ? [region] : [],
    );
    return rows
      .map((r) => JSON.parse(r.doc) as CaseRow)
      .map((row) => {
        const waitingSince = row.queuedAt ?? row.screenedAt ?? row.requestedAt;
        return {
          caseId: row.caseId,
          state: row.state,
          stateName: row.stateName,
          region: row.region,
          stage: row.stage,
          waitingSince,
          waitingDays: Math.floor((now.getTime() - Date.parse(waitingSince)) / 86_400_000),
          themes: row.themes,
        };
      })
      .sort(
        (a, b) => a.waitingSince.localeCompare(b.waitingSince) || a.caseId.localeCompare(b.caseId),
      );
  }

  /**
   * Requests still taking offers (consent standing, screening accepted, not closed) beside their
   * open offers, by theme: a case stays while it is open for offers or any of its offers is open,
   * also after a first match. `scope` narrows it to one State, or shows one provider its own offers
   * and the others as a count.
   */
  async matchmakingBoard(
    scope: { state?: string; ownOffersOf?: string; session?: string } = {},
  ): Promise<
    Record<
      string,
      {
        caseId: string;
        state: string;
        stateName: string;
        stage: string;
        offers: { offerId: string; provider: string; direction: string; funding: string }[];
        otherOpenOffers?: number;
      }[]
    >
  > {
    const rows = (
      await this.db.all<{ doc: string }>(
        `SELECT doc FROM ${TABLE} WHERE stage IN ('open-for-offers', 'matched', 'deployed', 'reported', 'profiled')`,
      )
    )
      .map((r) => JSON.parse(r.doc) as CaseRow)
      .filter(
        (row) =>
          row.consent === 'given' &&
          row.screening === 'accepted' &&
          !row.closedAt &&
          (row.stage === 'open-for-offers' || row.offers.some((o) => o.status === 'open')) &&
          (!scope.state || row.state === scope.state) &&
          (!scope.session || touchedBySession(row, scope.session)),
      );
    const board: Awaited<ReturnType<CasesReadModel['matchmakingBoard']>> = {};
    for (const row of rows.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt))) {
      const open = row.offers.filter((o) => o.status === 'open');
      const shown = scope.ownOffersOf
        ? open.filter((o) => providersOf(o).some((p) => p.id === scope.ownOffersOf))
        : open;
      const offers = shown.map((o) => ({
        offerId: o.offerId,
        provider: providersOf(o)
          .map((p) => p.name)
          .join(' & '),
        direction: o.direction,
        funding: o.funding,
      }));
      for (const theme of row.themes)
        (board[theme] ??= []).push({
          caseId: row.caseId,
          state: row.state,
          stateName: row.stateName,
          stage: row.stage,
          offers,
          ...(scope.ownOffersOf ? { otherOpenOffers: open.length - shown.length } : {}),
        });
    }
    return board;
  }

  /** Every row, streamed in pages, for figures over all cases. */
  async *all(pageSize = 2_000): AsyncGenerator<CaseRow> {
    for (let after = ''; ;) {
      const page = await this.db.all<{ key: string; doc: string }>(
        `SELECT key, doc FROM ${TABLE} WHERE key > ? ORDER BY key LIMIT ?`,
        [after, pageSize],
      );
      for (const row of page) yield JSON.parse(row.doc) as CaseRow;
      if (page.length < pageSize) return;
      after = page[page.length - 1].key;
    }
  }
}

export async function collect<T>(rows: Iterable<T> | AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

/** A case a platform session touched: its request was lodged there, or an offer was pledged there. */
export function touchedBySession(row: CaseRow, sessionId: string): boolean {
  return row.sessionId === sessionId || row.offers.some((o) => o.sessionId === sessionId);
}
