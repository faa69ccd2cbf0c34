import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { SOCIAL_CONFIG, type SocialConfig } from "../social.config.js";
import { PollEngagementUseCase } from "./use-cases/poll-engagement.use-case.js";
import { PollMentionsUseCase } from "./use-cases/poll-mentions.use-case.js";

/** Runs engagement polling every SOCIAL_ENGAGEMENT_POLL_MS and mention polling every SOCIAL_MENTIONS_POLL_MS. */
@Injectable()
export class SocialListeningWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SocialListeningWorker.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly pollEngagement: PollEngagementUseCase,
    private readonly pollMentions: PollMentionsUseCase,
    @Inject(SOCIAL_CONFIG) private readonly config: SocialConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.every("engagement", this.config.SOCIAL_ENGAGEMENT_POLL_MS, () => this.pollEngagement.execute());
    this.every("mentions", this.config.SOCIAL_MENTIONS_POLL_MS, () => this.pollMentions.execute());
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all(this.running.values());
  }

  private every(name: string, intervalMs: number, job: () => Promise<unknown>): void {
    const timer = setInterval(() => {
      if (this.running.has(name)) return; // the previous round is still running
      const round = job()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error(`${name} poll failed: ${String(error)}`))
        .finally(() => this.running.delete(name));
      this.running.set(name, round);
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }
}
