import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from "@nestjs/common";
import { IngestConfig } from "../config/ingest.config.js";
import { ReceivedMessagesRepository } from "./received-messages.repository.js";

const CLEANUP_INTERVAL_MS = 10 * 60_000;

/** Deletes messageIds older than INGEST_DEDUP_TTL_HOURS every 10 minutes (each replica does; the DELETE is idempotent). */
@Injectable()
export class ReceivedMessagesCleanup implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger("ReceivedMessagesCleanup");
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly receivedMessages: ReceivedMessagesRepository,
    private readonly config: IngestConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), CLEANUP_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async runOnce(now = new Date()): Promise<number> {
    try {
      const deleted = await this.receivedMessages.deleteExpired(new Date(now.getTime() - this.config.dedupTtlMs));
      if (deleted > 0) this.log.log(`forgot ${deleted} expired messageIds`);
      return deleted;
    } catch (error) {
      this.log.warn(`messageId cleanup failed: ${String(error)}`);
      return 0;
    }
  }
}
