// Creates the test database named in DATABASE_URL when it does not exist yet (connecting to `postgres`).
import pg from "pg";

const url = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/cascade_test");
const database = decodeURIComponent(url.pathname.slice(1));
if (!/^[A-Za-z0-9_]+$/.test(database)) {
  console.error(`DATABASE_URL: database name "${database}" must be letters, digits and _`);
  process.exit(1);
}
const admin = new URL(url);
admin.pathname = "/postgres";
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
if (rowCount === 0) {
  await client.query(`CREATE DATABASE "${database}"`);
  console.log(`created database ${database}`);
} else {
  console.log(`database ${database} exists`);
}
await client.end();

// Databases that test platforms created in earlier runs (`<database>_<suffix>`, see libs/testing).
const leftovers = await new pg.Client({ connectionString: admin.toString() });
await leftovers.connect();
const { rows } = await leftovers.query("SELECT datname FROM pg_database WHERE datname LIKE $1", [
  `${database}\\_t\\_%`,
]);
for (const { datname } of rows) await leftovers.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
if (rows.length > 0) console.log(`dropped ${rows.length} test databases from earlier runs`);
await leftovers.end();
