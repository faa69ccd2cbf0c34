/** Valid unquoted PostgreSQL identifier we accept as the bus schema name. */
const schemaNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!schemaNamePattern.test(schema)) {
    throw new Error(
      `EmbeddedBus: schema must match ${schemaNamePattern} (lower-case letters, digits, underscore), got ${JSON.stringify(schema)}`,
    );
  }
}

/**
 * Idempotent DDL of the embedded bus's log. Offsets are per (topic, partition), assigned from
 * `partition_heads.next_offset` under its row lock, so concurrent publishers commit offsets in order.
 * `group_offsets.committed_offset` is the next offset to read, as in Kafka.
 */
export function embeddedBusDdl(schema: string): string[] {
  assertSchemaName(schema);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${schema}`,
    `CREATE TABLE IF NOT EXISTS ${schema}.topics (
       name text PRIMARY KEY,
       partitions integer NOT NULL CHECK (partitions > 0),
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE IF NOT EXISTS ${schema}.partition_heads (
       topic text NOT NULL REFERENCES ${schema}.topics (name) ON DELETE CASCADE,
       partition integer NOT NULL,
       next_offset bigint NOT NULL DEFAULT 0,
       PRIMARY KEY (topic, partition)
     )`,
    `CREATE TABLE IF NOT EXISTS ${schema}.messages (
       topic text NOT NULL,
       partition integer NOT NULL,
       "offset" bigint NOT NULL,
       key text NOT NULL,
       value bytea NOT NULL,
       headers jsonb NOT NULL DEFAULT '{}'::jsonb,
       created_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (topic, partition, "offset"),
       FOREIGN KEY (topic, partition) REFERENCES ${schema}.partition_heads (topic, partition) ON DELETE CASCADE
     )`,
    `CREATE TABLE IF NOT EXISTS ${schema}.group_offsets (
       "group" text NOT NULL,
       topic text NOT NULL,
       partition integer NOT NULL,
       committed_offset bigint NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY ("group", topic, partition)
     )`,
  ];
}
