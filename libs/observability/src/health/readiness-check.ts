/**
 * One dependency a service needs before it can take traffic. `check` resolves true when the
 * dependency is usable; false, a rejection or a time-out all count as not ready.
 */
export interface ReadinessCheck {
  /** Reported in the /health/ready body, e.g. `database`, `bus`. */
  readonly name: string;
  check(): Promise<boolean>;
}

/** What `dataSourceCheck` needs of a TypeORM DataSource (or any SQL client). */
export interface SqlQueryable {
  readonly isInitialized?: boolean;
  query(sql: string): Promise<unknown>;
}

/** Ready when the database answers `SELECT 1`. */
export function dataSourceCheck(dataSource: SqlQueryable, name = "database"): ReadinessCheck {
  return {
    name,
    async check() {
      if (dataSource.isInitialized === false) return false;
      await dataSource.query("SELECT 1");
      return true;
    },
  };
}

/** Anything that can say whether it reaches its backend, such as the `Bus` of libs/bus. */
export interface Pingable {
  ping(): Promise<boolean>;
}

/** Ready when `bus.ping()` resolves true. */
export function busCheck(bus: Pingable, name = "bus"): ReadinessCheck {
  return { name, check: () => bus.ping() };
}
