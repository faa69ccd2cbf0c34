import { Inject, Injectable } from "@nestjs/common";
import { OutcomeStatus, type Outcome } from "@cascade/contracts";
import type { EntityManager } from "typeorm";
import { PUSH_CONFIG, type PushConfig } from "../../push.config.js";
import { publishPushOutcomes, pushOutcome } from "../../sending/push-outcomes.js";
import type { ConversionCandidate } from "../push-signals.js";
import { PushEngagementRepository } from "../push-engagement.repository.js";
import { referenceOf } from "./record-push-engagement.use-case.js";

/**
 * A conversion event (PUSH_CONVERSION_EVENTS) within PUSH_CONVERSION_WINDOW_HOURS after a push was opened
 * becomes a CONVERTED outcome of that push, once per push: the push the visitor landed from when the event
 * carries `context.push.message_id`, else the person's most recently opened push (last touch). Runs in the
 * caller's transaction.
 */
@Injectable()
export class AttributeConversionUseCase {
  private readonly engagements = new PushEngagementRepository();

  constructor(@Inject(PUSH_CONFIG) private readonly config: PushConfig) {}

  async execute(manager: EntityManager, conversion: ConversionCandidate): Promise<Outcome | undefined> {
    const windowHours = this.config.PUSH_CONVERSION_WINDOW_HOURS;
    const target = await this.engagements.findConversionTarget(manager, conversion.workspaceId, {
      landedKey: conversion.landedKey,
      ids: conversion.ids,
      at: conversion.at,
      windowMs: windowHours * 3_600_000,
    });
    if (!target) return undefined;
    const { record, via } = target;
    if (!(await this.engagements.markConverted(manager, record.workspaceId, record.idempotencyKey, conversion.at)))
      return undefined;
    const outcome = pushOutcome(referenceOf(record), conversion.at, {
      status: OutcomeStatus.CONVERTED,
      reason: conversion.event,
      details: {
        event: conversion.event,
        event_message_id: conversion.eventId,
        via,
        window_hours: windowHours,
        ...(record.openedAt ? { opened_at: record.openedAt.toISOString() } : {}),
        ...(conversion.value !== undefined ? { value: conversion.value } : {}),
      },
    });
    await publishPushOutcomes(manager, [outcome]);
    return outcome;
  }
}
