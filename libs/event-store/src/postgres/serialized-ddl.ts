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

/**
 * Runs `work` on one pooled client inside BEGIN … COMMIT, rolling back if it throws. A checked-out
 * client whose connection dies emits 'error' (the pool listens only to idle ones): it is caught here,
 * fails the transaction, and the client is destroyed on release rather than crash the process.
 */
export async function inPgTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (!broken) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
