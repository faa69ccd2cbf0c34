import { Injectable, type OnModuleDestroy } from "@nestjs/common";
import { EventEmitter } from "node:events";

const SHUTDOWN = "shutdown";

/**
 * Tells open statistics streams of this process that a workflow's counters changed (after the change
 * committed). Streams also re-read on a timer, so changes made by other replicas arrive too.
 */
@Injectable()
export class StatsNotifier implements OnModuleDestroy {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  /** Open streams end before the HTTP server closes (it would wait for them otherwise). */
  onModuleDestroy(): void {
    this.emitter.emit(SHUTDOWN);
  }

  onShutdown(listener: () => void): () => void {
    this.emitter.once(SHUTDOWN, listener);
    return () => this.emitter.off(SHUTDOWN, listener);
  }

  changed(workspaceId: string, workflowId: string): void {
    this.emitter.emit(`${workspaceId}\u0000${workflowId}`);
  }

  /** Calls `listener` on every change of the workflow; returns the unsubscribe function. */
  watch(workspaceId: string, workflowId: string, listener: () => void): () => void {
    const name = `${workspaceId}\u0000${workflowId}`;
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
