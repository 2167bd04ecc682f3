import type { Pool, PoolClient } from 'pg';

/** One lock for every process creating Keystone's tables, so concurrent starts cannot race. */
const DDL_LOCK = 0x6b657973; // 'keys'

/**
 * Runs schema statements under a transaction-scoped advisory lock. PostgreSQL's CREATE … IF NOT
 * EXISTS is not safe when two processes run it at once (a unique violation on pg_type), which is
 * exactly what two workers or two APIs starting together do.
 */
export function runSerializedDdl(pool: Pool, sql: string): Promise<void> {
  return inPgTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [DDL_LOCK]);
    await client.query(sql);
  });
}

/** Runs `work` on one pooled client inside BEGIN … COMMIT, rolling back if it throws. */
export async function inPgTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
