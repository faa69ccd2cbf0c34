/**
 * @cascade/compliance: the sending rules channel services share — a send ledger (idempotency keys recorded
 * before the provider is called), durable deferred sends, quiet hours in the recipient's time zone, a
 * per-contact frequency cap, and a Clock so all of them are testable without waiting.
 */
export { systemClock, ManualClock, type Clock } from "./clock.js";
export {
  QuietHours,
  QuietHoursError,
  DEFAULT_SEND_WINDOW,
  isValidTimeZone,
  type QuietHoursWindow,
  type QuietHoursDecision,
} from "./quiet-hours.js";
export { FrequencyCap, type FrequencyCapRule, type FrequencyCapDecision } from "./frequency-cap.js";
export {
  SendLedger,
  createSendLedgerMigration,
  COUNTED_SEND_STATES,
  type SendState,
  type SendLedgerEntry,
  type LedgerUpdate,
} from "./send-ledger.js";
export { DeferredSends, createDeferredSendsMigration, type DeferredSend } from "./deferred-sends.js";
export { returnedRows } from "./returned-rows.js";
export { SendRecovery, type SendRecoveryOptions } from "./send-recovery.js";
