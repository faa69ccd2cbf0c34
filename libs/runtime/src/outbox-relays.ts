import type { OutboxRelay } from "@cascade/db";

/** The outbox relays of the services in this process, by schema; use cases call notify() after a commit. */
export class OutboxRelays {
  private readonly relays = new Map<string, OutboxRelay>();

  add(schema: string, relay: OutboxRelay): void {
    this.relays.set(schema, relay);
  }

  /** Asks the relay of `schema` for a round now (it also polls on its own). */
  notify(schema: string): void {
    this.relays.get(schema)?.notify();
  }

  start(): void {
    for (const relay of this.relays.values()) relay.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.relays.values()].map((relay) => relay.stop()));
  }
}
