import { describe, expect, it } from "vitest";
import { ConsumerGroups, assignRoundRobin, type GroupMember } from "./consumer-groups.js";

class FakeMember implements GroupMember {
  owned: number[] = [];
  constructor(
    private readonly name: string,
    private readonly registry: Map<number, string>,
  ) {}
  assign(partitions: number[]): void {
    for (const partition of partitions) {
      const holder = this.registry.get(partition);
      if (holder) throw new Error(`partition ${partition} assigned to ${this.name} while ${holder} holds it`);
      this.registry.set(partition, this.name);
    }
    this.owned = partitions;
  }
  async revokeAll(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (const partition of this.owned) this.registry.delete(partition);
    this.owned = [];
  }
}

describe("assignRoundRobin", () => {
  it("gives every partition to exactly one member", () => {
    expect([0, 1, 2].map((index) => assignRoundRobin(7, 3, index))).toEqual([
      [0, 3, 6],
      [1, 4],
      [2, 5],
    ]);
    expect(assignRoundRobin(2, 3, 2)).toEqual([]);
  });
});

describe("ConsumerGroups", () => {
  it("splits partitions among members, never double-assigns, and hands them back on leave", async () => {
    const registry = new Map<number, string>();
    const groups = new ConsumerGroups();
    const a = new FakeMember("a", registry);
    const b = new FakeMember("b", registry);
    const other = new FakeMember("other-group", new Map());

    await groups.join("g", "t", 4, a);
    expect(a.owned).toEqual([0, 1, 2, 3]);
    await Promise.all([groups.join("g", "t", 4, b), groups.join("h", "t", 4, other)]);
    expect(a.owned).toEqual([0, 2]);
    expect(b.owned).toEqual([1, 3]);
    expect(other.owned).toEqual([0, 1, 2, 3]);

    await groups.leave("g", "t", 4, a);
    expect(a.owned).toEqual([]);
    expect(b.owned).toEqual([0, 1, 2, 3]);
  });
});
