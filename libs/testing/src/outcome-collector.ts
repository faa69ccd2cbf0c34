import { type OutcomeStatus, Topics, type Outcome } from "@cascade/contracts";
import type { Bus, Subscription } from "@cascade/bus";
import { eventually } from "./http.js";
import { uniqueName } from "./environment.js";

/** Reads outcomes.v1 from the test's bus and waits for a given outcome. */
export class OutcomeCollector {
  readonly outcomes: Outcome[] = [];
  private subscription: Subscription | undefined;

  async start(bus: Bus): Promise<void> {
    this.subscription = await bus.subscribe({
      group: uniqueName("outcomes-reader"),
      topic: Topics.OutcomesV1,
      fromBeginning: true,
      handler: async (message) => {
        this.outcomes.push(message.value);
        return "processed";
      },
    });
  }

  async close(): Promise<void> {
    await this.subscription?.close();
  }

  forKey(key: string): Outcome[] {
    return this.outcomes.filter((outcome) => outcome.idempotencyKey === key);
  }

  /** Waits for the outcome of `key` with `status` and returns it. */
  waitFor(key: string, status: OutcomeStatus, timeoutMs = 20_000): Promise<Outcome> {
    return eventually(async () => this.forKey(key).find((outcome) => outcome.status === status), timeoutMs);
  }

  waitForWhere(predicate: (outcome: Outcome) => boolean, timeoutMs = 20_000): Promise<Outcome> {
    return eventually(async () => this.outcomes.find(predicate), timeoutMs);
  }
}
