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

// Databases that test platforms created in earlier runs (`<database>_<suffix>`, see libs/testing). One that
// somebody is connected to belongs to a test still running (another terminal, another checkout): it stays.
const leftovers = await new pg.Client({ connectionString: admin.toString() });
await leftovers.connect();
const { rows } = await leftovers.query(
  `SELECT d.datname FROM pg_database d
   WHERE d.datname LIKE $1 AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
  [`${database}\\_t\\_%`],
);
let dropped = 0;
for (const { datname } of rows) {
  try {
    await leftovers.query(`DROP DATABASE IF EXISTS "${datname}"`);
    dropped += 1;
  } catch {
    // Somebody connected in the meantime: it is in use after all.
  }
}
if (dropped > 0) console.log(`dropped ${dropped} test databases from earlier runs`);
await leftovers.end();
