import { SerialExecutor } from "./serial-executor.js";

/** A subscription as the group coordinator sees it. */
export interface GroupMember {
  /** Starts consuming these partitions (from the group's committed offsets). */
  assign(partitions: number[]): void;
  /** Stops consuming all partitions; resolves when in-flight messages are finished and committed. */
  revokeAll(): Promise<void>;
}

/**
 * In-process consumer-group coordination for the embedded bus: members of the same group on the same
 * topic split its partitions (round robin by join order). Like Kafka's eager rebalance, every change
 * of membership stops all members, then hands out the partitions anew, so a partition is never
 * consumed by two members at once. Rebalances of one group run one after the other.
 */
export class ConsumerGroups {
  private readonly groups = new Map<string, { members: GroupMember[]; rebalances: SerialExecutor }>();

  join(group: string, topic: string, partitions: number, member: GroupMember): Promise<void> {
    const state = this.state(group, topic);
    return state.rebalances.run(async () => {
      state.members.push(member);
      await rebalance(state.members, partitions);
    });
  }

  /** Removes the member (waiting for its in-flight work) and gives its partitions to the others. */
  leave(group: string, topic: string, partitions: number, member: GroupMember, reassign = true): Promise<void> {
    const state = this.state(group, topic);
    return state.rebalances.run(async () => {
      state.members = state.members.filter((candidate) => candidate !== member);
      await member.revokeAll();
      if (reassign && state.members.length > 0) await rebalance(state.members, partitions);
    });
  }

  private state(group: string, topic: string): { members: GroupMember[]; rebalances: SerialExecutor } {
    const key = groupKey(group, topic);
    let state = this.groups.get(key);
    if (!state) {
      state = { members: [], rebalances: new SerialExecutor() };
      this.groups.set(key, state);
    }
    return state;
  }
}

async function rebalance(members: GroupMember[], partitions: number): Promise<void> {
  await Promise.all(members.map((member) => member.revokeAll()));
  members.forEach((member, index) => member.assign(assignRoundRobin(partitions, members.length, index)));
}

/** Partitions of member `index` out of `memberCount`: index, index + memberCount, ... */
export function assignRoundRobin(partitions: number, memberCount: number, index: number): number[] {
  const assigned: number[] = [];
  for (let partition = index; partition < partitions; partition += memberCount) assigned.push(partition);
  return assigned;
}

const groupKey = (group: string, topic: string): string => JSON.stringify([group, topic]);
