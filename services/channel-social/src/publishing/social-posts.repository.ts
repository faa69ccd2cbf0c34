import { COUNTED_SEND_STATES, returnedRows } from "@cascade/compliance";
import type { EntityManager } from "typeorm";
import { SOCIAL_SCHEMA } from "../social.config.js";
import type { Engagement } from "./providers/social-provider.js";
import type { PostReference } from "./social-outcomes.js";

/** A published post and its latest engagement counters. */
export interface PublishedPostRow extends Engagement {
  workspaceId: string;
  idempotencyKey: string;
  platform: string;
  postId: string;
  contactId: string;
  runId: string;
  nodeId: string;
  workflowId: string;
  hashtags: string[];
  publishedAt: Date;
}

interface PostRow {
  workspace_id: string;
  idempotency_key: string;
  platform: string;
  post_id: string;
  contact_id: string;
  run_id: string;
  node_id: string;
  workflow_id: string;
  hashtags: string[];
  published_at: Date;
  likes: number;
  shares: number;
  comments: number;
}

const POSTS = `${SOCIAL_SCHEMA}.social_posts`;
const LEDGER = `${SOCIAL_SCHEMA}.send_ledger`;

/** channel_social.social_posts, plus the per-platform posting counts the rate limit reads from the ledger. */
export class SocialPostsRepository {
  async recordPublished(
    manager: EntityManager,
    reference: PostReference,
    postId: string,
    hashtags: string[],
    at: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO ${POSTS} (workspace_id, idempotency_key, platform, post_id, contact_id, run_id, node_id, workflow_id, hashtags, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [
        reference.workspaceId,
        reference.idempotencyKey,
        reference.platform,
        postId,
        reference.contactId,
        reference.runId,
        reference.nodeId,
        reference.workflowId,
        hashtags,
        at,
      ],
    );
  }

  /** Posts published since `since` (of one workspace, or all), least recently checked first. */
  async publishedSince(
    manager: EntityManager,
    since: Date,
    limit: number,
    workspaceId?: string,
  ): Promise<PublishedPostRow[]> {
    const rows = (await manager.query(
      `SELECT * FROM ${POSTS} WHERE published_at >= $1 AND ($3::text IS NULL OR workspace_id = $3) ORDER BY engagement_checked_at NULLS FIRST LIMIT $2`,
      [since, limit, workspaceId ?? null],
    )) as PostRow[];
    return rows.map(toPost);
  }

  /** Stores fresh counters; true when they differ from the stored ones. */
  async updateEngagement(
    manager: EntityManager,
    workspaceId: string,
    idempotencyKey: string,
    engagement: Engagement,
    at: Date,
  ): Promise<boolean> {
    const rows = returnedRows<{ changed: boolean }>(
      await manager.query(
        `WITH old AS (SELECT likes, shares, comments FROM ${POSTS} WHERE workspace_id = $1 AND idempotency_key = $2 FOR UPDATE)
       UPDATE ${POSTS} p SET likes = $3, shares = $4, comments = $5, engagement_checked_at = $6 FROM old
       WHERE p.workspace_id = $1 AND p.idempotency_key = $2
       RETURNING (old.likes, old.shares, old.comments) IS DISTINCT FROM ($3::int, $4::int, $5::int) AS changed`,
        [workspaceId, idempotencyKey, engagement.likes, engagement.shares, engagement.comments, at],
      ),
    );
    return rows[0]?.changed ?? false;
  }

  /** Posts to `platform` that went (or may have gone) out after `since` (exclusive), and the oldest of them. */
  async postedSince(
    manager: EntityManager,
    workspaceId: string,
    platform: string,
    since: Date,
  ): Promise<{ count: number; oldest: Date | null }> {
    const rows = (await manager.query(
      `SELECT count(*)::int AS n, min(sent_at) AS oldest FROM ${LEDGER}
       WHERE workspace_id = $1 AND provider = $2 AND sent_at > $3 AND state = ANY($4::text[])`,
      [workspaceId, platform, since, [...COUNTED_SEND_STATES]],
    )) as Array<{ n: number; oldest: Date | null }>;
    return { count: rows[0]?.n ?? 0, oldest: rows[0]?.oldest ?? null };
  }
}

function toPost(row: PostRow): PublishedPostRow {
  return {
    workspaceId: row.workspace_id,
    idempotencyKey: row.idempotency_key,
    platform: row.platform,
    postId: row.post_id,
    contactId: row.contact_id,
    runId: row.run_id,
    nodeId: row.node_id,
    workflowId: row.workflow_id,
    hashtags: row.hashtags,
    publishedAt: row.published_at,
    likes: row.likes,
    shares: row.shares,
    comments: row.comments,
  };
}
