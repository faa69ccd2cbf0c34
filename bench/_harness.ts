/**
 * Shared pieces of the benchmarks: every figure is printed beside a baseline measured in the same run on
 * the same machine, as a ratio, because absolute numbers on a shared 2-core box mean little.
 */
import type { Bus } from "@cascade/bus";
import type { TopicDef } from "@cascade/contracts";
export interface Figure {
  name: string;
  value: number;
  unit: string;
}

export interface Comparison {
  what: string;
  subject: Figure;
  baseline: Figure;
  /** Goal for subject/baseline (higher is better) or baseline/subject when `lowerIsBetter`. */
  goal?: number;
  lowerIsBetter?: boolean;
}

export function ratioOf(comparison: Comparison): number {
  const { subject, baseline, lowerIsBetter } = comparison;
  return lowerIsBetter ? baseline.value / subject.value : subject.value / baseline.value;
}

const format = (figure: Figure): string =>
  `${figure.name} ${figure.value.toLocaleString("en-US", { maximumFractionDigits: figure.value < 100 ? 2 : 0 })} ${figure.unit}`;

/** Prints one line per comparison: `what: subject vs baseline → ratio (goal ≥ g: met / NOT met)`. */
export function report(title: string, comparisons: ReadonlyArray<Comparison>): void {
  console.log(`\n== ${title}`);
  for (const comparison of comparisons) {
    const ratio = ratioOf(comparison);
    const goal =
      comparison.goal === undefined
        ? ""
        : ` (goal ≥ ${comparison.goal}: ${ratio >= comparison.goal ? "met" : "NOT met"})`;
    console.log(
      `${comparison.what}: ${format(comparison.subject)} vs ${format(comparison.baseline)} → ratio ${ratio.toFixed(2)}${goal}`,
    );
  }
}

export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Reads `--name value` flags with defaults. */
export function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const raw = index >= 0 ? process.argv[index + 1] : undefined;
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got ${raw}`);
  return value;
}

/** Calls per second of `call(i)` for every i below `total`, `workers` calls in flight at a time (a direct baseline). */
export async function callsPerSecond(
  total: number,
  workers: number,
  call: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const { seconds } = await timed(() =>
    Promise.all(
      Array.from({ length: workers }, async () => {
        while (next < total) await call(next++);
      }),
    ),
  );
  return total / seconds;
}

/**
 * Messages per second through a service: publishes `requests` on `topic`, then waits until `arrived()` (what
 * the local provider server received) has grown by their number, or fails after `deadlineMs`.
 */
export async function deliveredPerSecond<T>(
  bus: Pick<Bus, "publish">,
  topic: TopicDef<T>,
  requests: readonly T[],
  arrived: () => number,
  deadlineMs: number,
): Promise<number> {
  const start = arrived();
  const { seconds } = await timed(async () => {
    await bus.publish(
      topic,
      requests.map((value) => ({ value })),
    );
    const deadline = Date.now() + deadlineMs;
    while (arrived() - start < requests.length) {
      if (Date.now() > deadline)
        throw new Error(`only ${arrived() - start} of ${requests.length} arrived within ${deadlineMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  return requests.length / seconds;
}
