import type { KeyValueStore } from "../key-value-store.js";
import { MemoryKeyValueStore } from "../key-value-store.js";
import type { PendingEntry, PendingStore } from "../pending-store.js";

/** localStorage, or memory when it is unavailable (privacy modes, sandboxed iframes) or full. */
export function browserKeyValueStore(): KeyValueStore {
  const memory = new MemoryKeyValueStore();
  let storage: Storage | undefined;
  try {
    storage = window.localStorage;
    storage.setItem("cascade.probe", "1");
    storage.removeItem("cascade.probe");
  } catch {
    storage = undefined;
  }
  if (!storage) return memory;
  const local = storage;
  return {
    get: (key) => {
      try {
        return local.getItem(key) ?? memory.get(key);
      } catch {
        return memory.get(key);
      }
    },
    set: (key, value) => {
      try {
        local.setItem(key, value);
        memory.remove(key);
      } catch {
        memory.set(key, value);
      }
    },
    remove: (key) => {
      memory.remove(key);
      try {
        local.removeItem(key);
      } catch {
        // nothing to do: the value is gone from memory and localStorage is unusable
      }
    },
    keys: () => {
      const keys = new Set(memory.keys());
      try {
        for (let i = 0; i < local.length; i++) keys.add(local.key(i) ?? "");
      } catch {
        // memory keys only
      }
      keys.delete("");
      return [...keys];
    },
  };
}

interface StoredQueue {
  updatedAt: number;
  entries: readonly PendingEntry[];
}

/** A queue untouched this long belongs to a tab that is gone; the next page load adopts its messages. */
export const ABANDONED_QUEUE_MS = 10_000;

/**
 * Each tab keeps its queue under its own key (`<prefix>queue.<tabId>`), so tabs never overwrite each other.
 * On start a tab adopts the queues of tabs that have not written for ABANDONED_QUEUE_MS (closed tabs, or a
 * page left before its messages went out). A still-open idle tab may then send the same messages too; the
 * messageId makes ingest discard the duplicate.
 */
export function tabPendingStore(
  store: KeyValueStore,
  prefix: string,
  tabId: string,
  now: () => number = Date.now,
): PendingStore {
  const queuePrefix = `${prefix}queue.`;
  const ownKey = `${queuePrefix}${tabId}`;
  return {
    load: () => {
      const adopted: PendingEntry[] = [];
      for (const key of store.keys()) {
        if (!key.startsWith(queuePrefix) || key === ownKey) continue;
        const queue = readQueue(store.get(key));
        if (queue && now() - queue.updatedAt < ABANDONED_QUEUE_MS) continue;
        if (queue) adopted.push(...queue.entries);
        store.remove(key);
      }
      const own = readQueue(store.get(ownKey))?.entries ?? [];
      return [...own, ...adopted];
    },
    save: (entries) => {
      if (entries.length === 0) store.remove(ownKey);
      else store.set(ownKey, JSON.stringify({ updatedAt: now(), entries } satisfies StoredQueue));
    },
  };
}

function readQueue(raw: string | null): StoredQueue | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<StoredQueue>;
    return Array.isArray(value.entries) && typeof value.updatedAt === "number"
      ? { updatedAt: value.updatedAt, entries: value.entries }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * This tab's id, kept in sessionStorage so that every page load in the same tab uses the same queue key and
 * picks up what the previous page left (sessionStorage is per tab and survives navigation). Without
 * sessionStorage each page load is its own "tab".
 */
export function tabId(newId: () => string, prefix: string): string {
  try {
    const existing = window.sessionStorage.getItem(`${prefix}tabId`);
    if (existing) return existing;
    const created = newId();
    window.sessionStorage.setItem(`${prefix}tabId`, created);
    return created;
  } catch {
    return newId();
  }
}
