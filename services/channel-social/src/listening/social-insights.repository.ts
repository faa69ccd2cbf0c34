import type { EntityManager } from "typeorm";
import { SOCIAL_SCHEMA } from "../social.config.js";

export interface Advocate {
  /** `x:<author id>` — the contact id social_mentioned events carry. */
  contactId: string;
  handle: string;
  shares: number;
  /** Sum of the engagement (likes + reposts + replies + quotes) their non-negative shares earned. */
  positiveEngagement: number;
}

export interface HashtagSuggestion {
  hashtag: string;
  posts: number;
  /** Mean engagement per post using the tag. */
  meanEngagement: number;
  /** The ranking score (see suggestHashtags). */
  score: number;
}

/** The read models behind advocate identification and hashtag suggestions. */
export class SocialInsightsRepository {
  /**
   * Advocates: authors of shares (quotes / reposts of a brand post seen in mentions) whose sentiment is not
   * negative, ranked by the total engagement those shares earned, then by how many shares.
   */
  async advocates(manager: EntityManager, workspaceId: string, limit: number): Promise<Advocate[]> {
    const rows = (await manager.query(
      `SELECT m.platform || ':' || m.author_id AS contact_id, max(m.author_handle) AS handle, count(*)::int AS shares, sum(m.engagement)::int AS engagement
       FROM ${SOCIAL_SCHEMA}.social_mentions m
       JOIN ${SOCIAL_SCHEMA}.social_posts p ON p.workspace_id = m.workspace_id AND p.platform = m.platform AND p.post_id = m.shared_post_id
       WHERE m.workspace_id = $1 AND m.sentiment <> 'negative'
       GROUP BY m.platform, m.author_id ORDER BY engagement DESC, shares DESC, contact_id LIMIT $2`,
      [workspaceId, limit],
    )) as Array<{ contact_id: string; handle: string; shares: number; engagement: number }>;
    return rows.map((row) => ({
      contactId: row.contact_id,
      handle: row.handle,
      shares: row.shares,
      positiveEngagement: row.engagement,
    }));
  }

  /**
   * Hashtag suggestions from the workspace's past posts. Method: each post's engagement is likes + shares +
   * comments; a hashtag's score is the Bayesian average (sum + k × m) / (n + k) with n its posts, m the mean
   * engagement of all the workspace's posts and k = 3, so a tag used once with one lucky post does not outrank a
   * tag that performs well repeatedly. Tags in `exclude` (already in the draft) are left out.
   */
  async suggestHashtags(
    manager: EntityManager,
    workspaceId: string,
    exclude: ReadonlyArray<string>,
    limit: number,
  ): Promise<HashtagSuggestion[]> {
    const rows = (await manager.query(
      `WITH posts AS (SELECT hashtags, likes + shares + comments AS engagement FROM ${SOCIAL_SCHEMA}.social_posts WHERE workspace_id = $1),
            prior AS (SELECT coalesce(avg(engagement), 0)::float8 AS m FROM posts),
            tags AS (SELECT tag, count(*)::int AS n, sum(engagement)::float8 AS total FROM posts, unnest(hashtags) AS tag GROUP BY tag)
       SELECT tag, n, total / n AS mean, (total + 3 * prior.m) / (n + 3) AS score
       FROM tags, prior WHERE NOT (tag = ANY($2::text[])) ORDER BY score DESC, n DESC, tag LIMIT $3`,
      [workspaceId, exclude.map((tag) => tag.toLowerCase()), limit],
    )) as Array<{ tag: string; n: number; mean: number; score: number }>;
    return rows.map((row) => ({
      hashtag: row.tag,
      posts: row.n,
      meanEngagement: round(row.mean),
      score: round(row.score),
    }));
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
