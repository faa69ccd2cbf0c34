import type { Headers } from "../bus.js";

/** A message as read from the log, before decoding: what both adapters hand to `deliverRecord`. */
export interface InboundRecord {
  topic: string;
  partition: number;
  /** Decimal string (Kafka offsets are 64-bit). */
  offset: string;
  key: string;
  value: Uint8Array;
  headers: Headers;
}
