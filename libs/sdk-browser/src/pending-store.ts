import type { Message } from "./messages.js";

/** A message waiting to be delivered, with the number of server-side failures it has met so far. */
export interface PendingEntry {
  message: Message;
  attempts: number;
}

/**
 * Where the queue keeps messages that are not yet delivered, so that a reload, a closed tab or a long
 * offline period does not lose them. The browser implementation is localStorage; tests use memory.
 */
export interface PendingStore {
  load(): PendingEntry[];
  save(entries: readonly PendingEntry[]): void;
}

export class MemoryPendingStore implements PendingStore {
  private entries: PendingEntry[] = [];

  load(): PendingEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  save(entries: readonly PendingEntry[]): void {
    this.entries = entries.map((entry) => ({ ...entry }));
  }
}
