import pg from "pg";

/** Rows kept in the run variable at most. */
export const MAX_QUERY_ROWS = 100;

/**
 * database_query nodes: parameterised queries on configured connections, in READ ONLY transactions with a
 * statement timeout. Parameters are always bound ($1, $2, ...), never spliced into the SQL.
 */
export class QueryRunnerPool {
  private readonly pools = new Map<string, pg.Pool>();

  constructor(private readonly urls: Readonly<Record<string, string>>) {}

  has(connectionId: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.urls, connectionId);
  }

  async query(
    connectionId: string,
    sql: string,
    parameters: readonly unknown[],
    timeoutMs = 5_000,
  ): Promise<Record<string, unknown>[]> {
    const url = this.urls[connectionId];
    if (url === undefined)
      throw new Error(`database connection '${connectionId}' is not configured (ORCHESTRATOR_DATABASES)`);
    let pool = this.pools.get(connectionId);
    if (!pool) {
      pool = new pg.Pool({ connectionString: url, max: 2, application_name: "cascade-orchestrator-query" });
      this.pools.set(connectionId, pool);
    }
    const client = await pool.connect();
    try {
      await client.query("BEGIN READ ONLY");
      await client.query(`SET LOCAL statement_timeout = ${Math.max(100, Math.trunc(timeoutMs))}`);
      const result = await client.query({ text: sql, values: [...parameters] });
      await client.query("COMMIT");
      return (result.rows as Record<string, unknown>[]).slice(0, MAX_QUERY_ROWS);
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.end()));
    this.pools.clear();
  }
}
