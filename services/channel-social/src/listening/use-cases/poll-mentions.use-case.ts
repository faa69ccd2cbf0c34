import { Inject, Injectable, Logger } from "@nestjs/common";
import {
  create,
  EventSchema,
  EventType,
  newEnvelope,
  OutcomeStatus,
  SystemEvents,
  timestampFromDate,
  Topics,
  type Event,
  type Outcome,
} from "@cascade/contracts";
import { SendLedger, type Clock } from "@cascade/compliance";
import { Outbox } from "@cascade/db";
import { DEFAULT_WORKSPACE, OutboxRelays, type DefaultWorkspace } from "@cascade/runtime";
import { DataSource, type EntityManager } from "typeorm";
import { SOCIAL_CLOCK, SOCIAL_CONFIG, SOCIAL_SCHEMA, type SocialConfig } from "../../social.config.js";
import { SocialProviderError } from "../../publishing/providers/social-provider.js";
import type { Mention } from "../../publishing/providers/x.provider.js";
import { XPublisher } from "../../publishing/providers/x.provider.js";
import { publishOutcomes, socialOutcome } from "../../publishing/social-outcomes.js";
import { SocialPublishersRegistry } from "../../publishing/social-publishers.registry.js";
import { detectCrisis } from "../crisis-detector.js";
import { mentionSentiment } from "../mention-sentiment.js";
import { MentionsRepository } from "../mentions.repository.js";

export interface PollMentionsResult {
  received: number;
  escalated: number;
  thanked: number;
  crisis: boolean;
}

interface PlannedReply {
  key: string;
  contactId: string;
  mention: Mention;
  text: string;
}

const PLATFORM = "x";
const outbox = new Outbox(SOCIAL_SCHEMA);

/** The contact id of a social author (no known contact yet): `x:<author id>`. */
export function socialContactId(platform: string, authorId: string): string {
  return `${platform}:${authorId}`;
}

/**
 * Polls X for new mentions of the brand account (X has no mention webhook below the enterprise tier) and, in one
 * transaction per poll with the cursor: records each new mention with its sentiment, publishes it as a
 * `social_mentioned` event on events.v1, applies the response rules — a negative mention is escalated as an
 * ALERT outcome (reason negative_mention) for a human; a share (quote / repost) of a brand post earns an
 * automatic thank-you reply, recorded in the send ledger under `reply:x:<mention id>` before it is sent — and
 * raises a crisis ALERT (reason negative_mention_spike) once per window when detectCrisis says so.
 */
@Injectable()
export class PollMentionsUseCase {
  private readonly logger = new Logger(PollMentionsUseCase.name);
  private readonly mentions = new MentionsRepository();
  private readonly ledger = new SendLedger(SOCIAL_SCHEMA);

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    private readonly publishers: SocialPublishersRegistry,
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
    @Inject(SOCIAL_CONFIG) private readonly config: SocialConfig,
    @Inject(SOCIAL_CLOCK) private readonly clock: Clock,
  ) {}

  /** One poll; does nothing (and says so) when X or X_USER_ID is not configured. */
  async execute(): Promise<PollMentionsResult> {
    const x = this.publishers.get(PLATFORM);
    const userId = this.config.X_USER_ID;
    const result: PollMentionsResult = { received: 0, escalated: 0, thanked: 0, crisis: false };
    if (!(x instanceof XPublisher) || !userId) return result;
    const workspaceId = this.workspace.id;
    const since = await this.mentions.cursor(this.dataSource.manager, workspaceId, PLATFORM);
    const page = await x.fetchMentions(userId, since);
    const replies = await this.dataSource.transaction(async (manager) => {
      const planned: PlannedReply[] = [];
      const now = this.clock.now();
      const messages: Array<{ value: Event }> = [];
      const alerts: Outcome[] = [];
      for (const mention of page.mentions) {
        const sentiment = mentionSentiment(mention.text);
        if (!(await this.mentions.record(manager, workspaceId, PLATFORM, mention, sentiment, now))) continue;
        result.received++;
        const contactId = socialContactId(PLATFORM, mention.authorId);
        const shared =
          mention.sharedPostId !== undefined &&
          (await this.mentions.isOwnPost(manager, workspaceId, PLATFORM, mention.sharedPostId));
        messages.push({ value: this.mentionEvent(workspaceId, contactId, mention, sentiment, shared, now) });
        if (sentiment.label === "negative") {
          result.escalated++;
          alerts.push(
            socialOutcome(
              {
                workspaceId,
                idempotencyKey: `mention:${PLATFORM}:${mention.id}`,
                platform: PLATFORM,
                contactId,
                runId: "",
                nodeId: "",
                workflowId: "",
              },
              now,
              {
                status: OutcomeStatus.ALERT,
                reason: "negative_mention",
                providerMessageId: mention.id,
                details: {
                  rule: "escalate_negative_mention",
                  text: mention.text,
                  author: mention.authorHandle,
                  sentiment_score: sentiment.comparative,
                },
              },
            ),
          );
        } else if (shared && this.config.SOCIAL_THANK_SHARER_TEXT) {
          const reply = await this.planThanks(manager, workspaceId, contactId, mention, now);
          if (reply) planned.push(reply);
        }
      }
      if (messages.length > 0) await outbox.add(manager, Topics.EventsV1, messages);
      const crisis = await this.checkCrisis(manager, workspaceId, now);
      if (crisis) alerts.push(crisis);
      result.crisis = crisis !== undefined;
      await publishOutcomes(manager, alerts);
      if (page.newestId) await this.mentions.saveCursor(manager, workspaceId, PLATFORM, page.newestId, now);
      return planned;
    });
    this.relays.notify(SOCIAL_SCHEMA);
    for (const reply of replies) if (await this.sendReply(x, workspaceId, reply)) result.thanked++;
    if (replies.length > 0) this.relays.notify(SOCIAL_SCHEMA);
    return result;
  }

  private mentionEvent(
    workspaceId: string,
    contactId: string,
    mention: Mention,
    sentiment: ReturnType<typeof mentionSentiment>,
    shared: boolean,
    now: Date,
  ): Event {
    return create(EventSchema, {
      envelope: newEnvelope(workspaceId, now),
      type: EventType.TRACK,
      event: SystemEvents.SocialMentioned,
      contactId,
      anonymousId: contactId,
      messageId: `social:${PLATFORM}:mention:${mention.id}`,
      properties: {
        platform: PLATFORM,
        mention_id: mention.id,
        text: mention.text,
        author_id: mention.authorId,
        author_handle: mention.authorHandle,
        sentiment: sentiment.label,
        sentiment_score: sentiment.comparative,
        shared_post_id: shared ? (mention.sharedPostId ?? "") : "",
        engagement: mention.engagement,
      },
      timestamp: timestampFromDate(mention.createdAt),
      receivedAt: timestampFromDate(now),
    });
  }

  private async planThanks(
    manager: EntityManager,
    workspaceId: string,
    contactId: string,
    mention: Mention,
    now: Date,
  ): Promise<PlannedReply | undefined> {
    const key = `reply:${PLATFORM}:${mention.id}`;
    const text = this.config.SOCIAL_THANK_SHARER_TEXT.replaceAll("{handle}", mention.authorHandle);
    const claimed = await this.ledger.claim(manager, {
      workspaceId,
      idempotencyKey: key,
      contactId,
      category: "auto_response",
      state: "sending",
      at: now,
      provider: PLATFORM,
      sentAt: now,
      details: { rule: "thank_sharer", in_reply_to: mention.id },
    });
    return claimed ? { key, contactId, mention, text } : undefined;
  }

  private async sendReply(x: XPublisher, workspaceId: string, reply: PlannedReply): Promise<boolean> {
    const reference = {
      workspaceId,
      idempotencyKey: reply.key,
      platform: PLATFORM,
      contactId: reply.contactId,
      runId: "",
      nodeId: "",
      workflowId: "",
    };
    const details = { rule: "thank_sharer", in_reply_to: reply.mention.id };
    try {
      const published = await x.reply(reply.text, reply.mention.id);
      await this.dataSource.transaction(async (manager) => {
        const now = this.clock.now();
        await this.ledger.transition(manager, reference, ["sending"], "sent", now, {
          providerMessageId: published.postId,
        });
        await publishOutcomes(manager, [
          socialOutcome(reference, now, { status: OutcomeStatus.SENT, providerMessageId: published.postId, details }),
        ]);
      });
      return true;
    } catch (error) {
      const failure = error instanceof SocialProviderError ? error : undefined;
      const state = failure?.kind === "unknown" || !failure ? "unknown" : "failed";
      const reason = state === "unknown" ? "send_state_unknown" : (failure?.reason ?? "send_state_unknown");
      this.logger.warn(`auto-response ${reply.key} failed: ${String(error)}`);
      await this.dataSource.transaction(async (manager) => {
        const now = this.clock.now();
        await this.ledger.transition(manager, reference, ["sending"], state, now, { reason });
        await publishOutcomes(manager, [
          socialOutcome(reference, now, {
            status: OutcomeStatus.FAILED,
            reason,
            details: { ...details, message: String(error) },
          }),
        ]);
      });
      return false;
    }
  }

  private async checkCrisis(manager: EntityManager, workspaceId: string, now: Date): Promise<Outcome | undefined> {
    const windowMs = this.config.SOCIAL_CRISIS_WINDOW_MINUTES * 60_000;
    // Fixed windows aligned to their length, so one crisis raises one alert per window.
    const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
    const recentFrom = new Date(now.getTime() - windowMs);
    const baselineFrom = new Date(recentFrom.getTime() - this.config.SOCIAL_CRISIS_BASELINE_DAYS * 86_400_000);
    const recent = await this.mentions.countBetween(manager, workspaceId, recentFrom, new Date(now.getTime() + 1));
    const baseline = await this.mentions.countBetween(manager, workspaceId, baselineFrom, recentFrom);
    const decision = detectCrisis(recent, baseline, {
      factor: this.config.SOCIAL_CRISIS_FACTOR,
      baselineFloor: this.config.SOCIAL_CRISIS_BASELINE_FLOOR,
      minMentions: this.config.SOCIAL_CRISIS_MIN_MENTIONS,
    });
    if (!decision.alarm) return undefined;
    if (
      !(await this.mentions.raiseCrisis(
        manager,
        workspaceId,
        windowStart,
        decision.negativeRate,
        decision.baselineRate,
        now,
      ))
    )
      return undefined;
    return socialOutcome(
      {
        workspaceId,
        idempotencyKey: `crisis:${windowStart.toISOString()}`,
        platform: PLATFORM,
        contactId: "",
        runId: "",
        nodeId: "",
        workflowId: "",
      },
      now,
      {
        status: OutcomeStatus.ALERT,
        reason: "negative_mention_spike",
        details: {
          negative_rate: round(decision.negativeRate),
          baseline_rate: round(decision.baselineRate),
          factor: this.config.SOCIAL_CRISIS_FACTOR,
          threshold: round(decision.threshold),
          mentions_in_window: recent.total,
          negative_in_window: recent.negative,
          window_minutes: this.config.SOCIAL_CRISIS_WINDOW_MINUTES,
        },
      },
    );
  }
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
