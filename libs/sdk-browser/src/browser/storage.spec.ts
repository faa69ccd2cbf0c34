import { describe, expect, it } from "vitest";
import { MemoryKeyValueStore } from "../key-value-store.js";
import type { PendingEntry } from "../pending-store.js";
import { ABANDONED_QUEUE_MS, tabPendingStore } from "./storage.js";

const entry = (messageId: string): PendingEntry => ({
  attempts: 0,
  message: {
    type: "track",
    event: "e",
    properties: {},
    messageId,
    timestamp: "2025-01-01T00:00:00Z",
    anonymousId: "a",
    context: {},
  },
});

describe("tabPendingStore", () => {
  it("keeps each tab's queue apart and adopts the queue of a tab that stopped writing", () => {
    const shared = new MemoryKeyValueStore();
    let now = 0;
    const tabA = tabPendingStore(shared, "cascade.", "tab-a", () => now);
    const tabB = tabPendingStore(shared, "cascade.", "tab-b", () => now);
    tabA.save([entry("a1")]);
    tabB.save([entry("b1")]);
    expect(tabA.load().map((e) => e.message.messageId)).toEqual(["a1"]); // b is alive

    now += ABANDONED_QUEUE_MS;
    const tabC = tabPendingStore(shared, "cascade.", "tab-c", () => now);
    expect(
      tabC
        .load()
        .map((e) => e.message.messageId)
        .sort(),
    ).toEqual(["a1", "b1"]);
    expect(shared.keys()).toEqual([]); // adopted queues are removed; C saves when it changes

    tabC.save([entry("c1")]);
    expect(shared.keys()).toEqual(["cascade.queue.tab-c"]);
    tabC.save([]);
    expect(shared.keys()).toEqual([]);
  });
});
