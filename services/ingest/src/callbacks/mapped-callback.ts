import type { SystemEventName } from "@cascade/contracts";

/** A verified provider callback, mapped to a Cascade system event. */
export interface MappedCallback {
  workspaceId: string;
  contactId: string;
  event: SystemEventName;
  properties: Record<string, unknown>;
  /** Provider event id, to de-duplicate redelivered callbacks. */
  messageId?: string;
  timestamp?: Date;
}

/** Mapped, or deliberately not recorded (answered 200 so the provider does not retry). */
export type MappingResult = { mapped: MappedCallback } | { ignored: string };
