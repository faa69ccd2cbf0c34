/**
 * Group commit: callers submit items concurrently; items that arrive while a flush is running are gathered and
 * flushed together in the next one. Under load this turns many small round trips (one Kafka produce request or
 * one INSERT per HTTP request) into few large ones, without adding latency when idle (a lone submit flushes at
 * once). Each caller's promise settles with the outcome of the flush that carried its items.
 */
export interface GroupCommitOptions<I> {
  /** Flushes running at the same time (1 keeps Kafka's single in-flight produce request busy with big batches). */
  concurrency: number;
  /** A flush takes submissions until their total weight would exceed this (a single larger submission still goes). */
  maxWeight: number;
  /** Weight of one item (default 1: maxWeight is then a count). */
  weightOf?: (item: I) => number;
}

interface Pending<I, O> {
  items: I[];
  weight: number;
  resolve: (results: O[]) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<I, O> {
  private readonly queue: Array<Pending<I, O>> = [];
  private running = 0;

  constructor(
    /** Must return one result per item, in order. */
    private readonly flush: (items: I[]) => Promise<O[]>,
    private readonly options: GroupCommitOptions<I>,
  ) {
    if (options.concurrency < 1) throw new Error("GroupCommit: concurrency must be at least 1");
  }

  submit(items: I[]): Promise<O[]> {
    if (items.length === 0) return Promise.resolve([]);
    const weightOf = this.options.weightOf ?? (() => 1);
    const weight = items.reduce((sum, item) => sum + weightOf(item), 0);
    return new Promise<O[]>((resolve, reject) => {
      this.queue.push({ items, weight, resolve, reject });
      this.drain();
    });
  }

  /** Submissions waiting for a flush (metrics, tests). */
  get waiting(): number {
    return this.queue.length;
  }

  private drain(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const taken: Array<Pending<I, O>> = [this.queue.shift()!];
      let weight = taken[0]!.weight;
      while (this.queue.length > 0 && weight + this.queue[0]!.weight <= this.options.maxWeight) {
        const next = this.queue.shift()!;
        weight += next.weight;
        taken.push(next);
      }
      this.running++;
      void this.run(taken);
    }
  }

  private async run(taken: Array<Pending<I, O>>): Promise<void> {
    try {
      const items = taken.flatMap((pending) => pending.items);
      const results = await this.flush(items);
      if (results.length !== items.length)
        throw new Error(`GroupCommit: flush returned ${results.length} results for ${items.length} items`);
      let offset = 0;
      for (const pending of taken) {
        pending.resolve(results.slice(offset, offset + pending.items.length));
        offset += pending.items.length;
      }
    } catch (error) {
      for (const pending of taken) pending.reject(error);
    } finally {
      this.running--;
      this.drain();
    }
  }
}
