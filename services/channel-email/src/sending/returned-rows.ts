/**
 * The rows of an UPDATE / DELETE ... RETURNING through TypeORM: PostgreSQL gives `[rows, affectedCount]` for those
 * statements, while INSERT and SELECT give the rows.
 */
export function returnedRows<Row>(result: unknown): Row[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === "number")
    return result[0] as Row[];
  return result as Row[];
}
