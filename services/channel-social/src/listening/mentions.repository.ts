import type { EntityManager } from "typeorm";
import { SOCIAL_SCHEMA } from "../social.config.js";
import type { Mention } from "../publishing/providers/x.provider.js";
import type { MentionCounts } from "./crisis-detector.js";
import type { MentionSentiment } from "./mention-sentiment.js";

const MENTIONS = `${SOCIAL_SCHEMA}.social_mentions`;
const CURSORS = `${SOCIAL_SCHEMA}.polling_cursors`;
const ALERTS = `${SOCIAL_SCHEMA}.crisis_alerts`;

/** Mentions, polling cursors and raised crisis alerts of channel_social. */
export class MentionsRepository {
  async cursor(manager: EntityManager, workspaceId: string, platform: string): Promise<string | undefined> {
    const rows = (await manager.query(`SELECT cursor FROM ${CURSORS} WHERE workspace_id = $1 AND platform = $2`, [
      workspaceId,
      platform,
    ])) as Array<{ cursor: string }>;
    return rows[0]?.cursor;
  }

  async saveCursor(
    manager: EntityManager,
    workspaceId: string,
    platform: string,
    cursor: string,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO ${CURSORS} (workspace_id, platform, cursor, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, platform) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = EXCLUDED.updated_at`,
      [workspaceId, platform, cursor, at],
    );
  }

  /** Records a mention; false when it is already known (polled twice). */
  async record(
    manager: EntityManager,
    workspaceId: string,
    platform: string,
    mention: Mention,
    sentiment: MentionSentiment,
    at: Date,
  ): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO ${MENTIONS} (workspace_id, platform, mention_id, author_id, author_handle, text, sentiment_score, sentiment, shared_post_id, engagement, mentioned_at, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING RETURNING mention_id`,
      [
        workspaceId,
        platform,
        mention.id,
        mention.authorId,
        mention.authorHandle,
        mention.text,
        sentiment.comparative,
        sentiment.label,
        mention.sharedPostId ?? null,
        mention.engagement,
        mention.createdAt,
        at,
      ],
    )) as unknown[];
    return rows.length === 1;
  }

  /** Mentions received in [from, to). */
  async countBetween(manager: EntityManager, workspaceId: string, from: Date, to: Date): Promise<MentionCounts> {
    const rows = (await manager.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE sentiment = 'negative')::int AS negative
       FROM ${MENTIONS} WHERE workspace_id = $1 AND received_at >= $2 AND received_at < $3`,
      [workspaceId, from, to],
    )) as Array<MentionCounts>;
    return rows[0] ?? { total: 0, negative: 0 };
  }

  /** Records a crisis alert for a window; false when one was already raised for it. */
  async raiseCrisis(
    manager: EntityManager,
    workspaceId: string,
    windowStart: Date,
    negativeRate: number,
    baselineRate: number,
    at: Date,
  ): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO ${ALERTS} (workspace_id, window_start, negative_rate, baseline_rate, raised_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING window_start`,
      [workspaceId, windowStart, negativeRate, baselineRate, at],
    )) as unknown[];
    return rows.length === 1;
  }

  /** Whether `postId` is one of the workspace's own published posts on `platform`. */
  async isOwnPost(manager: EntityManager, workspaceId: string, platform: string, postId: string): Promise<boolean> {
    const rows = (await manager.query(
      `SELECT 1 FROM ${SOCIAL_SCHEMA}.social_posts WHERE workspace_id = $1 AND platform = $2 AND post_id = $3 LIMIT 1`,
      [workspaceId, platform, postId],
    )) as unknown[];
    return rows.length > 0;
  }
}
