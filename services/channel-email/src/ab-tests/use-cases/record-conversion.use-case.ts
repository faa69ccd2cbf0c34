import { Inject, Injectable } from "@nestjs/common";
import { EventType, type Event } from "@cascade/contracts";
import { CLOCK, type Clock } from "../../clock.js";
import { AbTests } from "../ab-tests.js";

/**
 * A track event on events.v1 that some A/B step names as its conversion event counts for the contact's last send
 * of that step within the window. Idempotent without the ledger: one conversion per send (primary key), so a
 * redelivered event changes nothing.
 */
@Injectable()
export class RecordConversionUseCase {
  constructor(
    private readonly abTests: AbTests,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  static handles(event: Event): boolean {
    return (
      event.type === EventType.TRACK &&
      event.event !== "" &&
      event.contactId !== "" &&
      Boolean(event.envelope?.workspace)
    );
  }

  async execute(event: Event): Promise<"processed" | "skipped"> {
    const recorded = await this.abTests.recordConversion(
      event.envelope?.workspace ?? "",
      event.contactId,
      event.event,
      this.clock.now(),
    );
    return recorded > 0 ? "processed" : "skipped";
  }
}
