import type { JsonObject } from "./messages.js";
import type { KeyValueStore } from "./key-value-store.js";

/**
 * Who the visitor is: a persisted anonymousId (created on first use), and once identified a userId and
 * traits. Persisted so that every page of a visit, and later visits, carry the same ids.
 */
export class Identity {
  constructor(
    private readonly store: KeyValueStore,
    private readonly newId: () => string,
    private readonly prefix = "cascade.",
  ) {}

  get anonymousId(): string {
    const existing = this.store.get(`${this.prefix}anonymousId`);
    if (existing) return existing;
    const created = this.newId();
    this.store.set(`${this.prefix}anonymousId`, created);
    return created;
  }

  get userId(): string | undefined {
    return this.store.get(`${this.prefix}userId`) ?? undefined;
  }

  get traits(): JsonObject {
    return parseObject(this.store.get(`${this.prefix}traits`));
  }

  /** Sets the known user; traits merge into what is known unless the user changed. */
  identify(userId: string | undefined, traits: JsonObject): void {
    const previous = this.userId;
    if (userId !== undefined) this.store.set(`${this.prefix}userId`, userId);
    const base = userId !== undefined && previous !== undefined && previous !== userId ? {} : this.traits;
    this.store.set(`${this.prefix}traits`, JSON.stringify({ ...base, ...traits }));
  }

  /** Forgets the user and starts a new anonymous visitor (e.g. on log-out). */
  reset(): void {
    this.store.remove(`${this.prefix}userId`);
    this.store.remove(`${this.prefix}traits`);
    this.store.set(`${this.prefix}anonymousId`, this.newId());
  }
}

function parseObject(raw: string | null): JsonObject {
  if (!raw) return {};
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonObject) : {};
  } catch {
    return {};
  }
}
