/**
 * Schema names are interpolated into SQL (they cannot be bind parameters), so they are checked
 * against a strict pattern first: lower-case letters, digits and underscores, starting with a
 * letter or underscore, at most 63 characters (PostgreSQL's identifier limit).
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Returns the schema name double-quoted for SQL, or throws when it is not a safe identifier. */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(
      `schema: "${schema}" is not a valid schema name (use lower-case letters, digits and underscores, ` +
        `starting with a letter or underscore, at most 63 characters)`,
    );
  }
  return `"${schema}"`;
}
