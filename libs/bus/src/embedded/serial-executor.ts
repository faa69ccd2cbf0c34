/**
 * Runs async tasks one at a time, in call order. The embedded bus sends every query through one, so
 * it never needs more than one connection at once (PGlite serves exactly one).
 */
export class SerialExecutor {
  private tail: Promise<unknown> = Promise.resolve();

  run<R>(task: () => Promise<R>): Promise<R> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
