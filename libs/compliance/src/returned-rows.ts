/**
 * The rows of an `UPDATE ... RETURNING` or `DELETE ... RETURNING` run through TypeORM's `manager.query`:
 * on PostgreSQL it answers `[rows, affectedCount]` for those statements (and plain rows for SELECT / INSERT).
 */
export function returnedRows<Row>(result: unknown): Row[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === "number")
    return result[0] as Row[];
  return result as Row[];
}
