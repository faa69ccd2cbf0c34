import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { fromBinary, OutcomeStatus, SmsRequestSchema } from "@cascade/contracts";
import { SendRecovery, type Clock } from "@cascade/compliance";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { SMS_CLOCK, SMS_CONFIG, SMS_SCHEMA, type SmsConfig } from "../sms.config.js";
import { publishOutcomes, smsOutcome } from "./sms-outcomes.js";
import { SendSmsUseCase } from "./use-cases/send-sms.use-case.js";

/**
 * libs/compliance's SendRecovery for SMS: releases deferred sends that are due (quiet hours over, schedule
 * reached, provider retry) and reconciles sends left `sending` by a crash. Twilio and MessageBird offer no
 * look-up by our idempotency key, so such a send is reported as a FAILED outcome with reason
 * send_state_unknown — never resent blindly. A later delivery report still settles it.
 */
@Injectable()
export class SmsBackgroundWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SmsBackgroundWorker.name);
  private readonly recovery: SendRecovery;

  constructor(
    dataSource: DataSource,
    relays: OutboxRelays,
    sendSms: SendSmsUseCase,
    @Inject(SMS_CONFIG) private readonly config: SmsConfig,
    @Inject(SMS_CLOCK) clock: Clock,
  ) {
    this.recovery = new SendRecovery({
      dataSource,
      schema: SMS_SCHEMA,
      clock,
      inFlightTimeoutMs: config.SMS_IN_FLIGHT_TIMEOUT_MS,
      release: (send) => sendSms.execute({ request: fromBinary(SmsRequestSchema, send.payload), source: "deferred" }),
      reportUnknown: (manager, entry, now) =>
        publishOutcomes(manager, [
          smsOutcome(entry, now, {
            status: OutcomeStatus.FAILED,
            reason: "send_state_unknown",
            provider: entry.provider ?? "",
            details: {
              ledger_state: "unknown",
              message: "the service stopped while this send was in flight; it was not resent",
            },
          }),
        ]),
      onReported: () => relays.notify(SMS_SCHEMA),
      onError: (message) => this.logger.error(message),
    });
  }

  onApplicationBootstrap(): void {
    this.recovery.start(this.config.SMS_DEFERRED_POLL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.recovery.stop();
  }

  /** One round of both jobs; returns how many deferred sends were released and in-flight sends reconciled. */
  runOnce(): Promise<{ released: number; reconciled: number }> {
    return this.recovery.runOnce();
  }
}
