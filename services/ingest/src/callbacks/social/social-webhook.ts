import { z } from "zod";
import { SystemEvents } from "@cascade/contracts";
import { IngestError } from "../../http/ingest-error.js";
import { issuesOf } from "../../http/validation.js";
import type { MappedCallback } from "../mapped-callback.js";
import { sentimentOf } from "../text-sentiment.js";

/**
 * The Cascade social webhook body: one mention of, or share of, the brand's content, as normalised by a
 * network adapter (or sent directly by a social listening tool). `contactId` when the author is a known contact.
 */
export const socialWebhookBody = z.object({
  type: z.enum(["mention", "share"]),
  network: z.string().trim().min(1).max(64),
  postId: z.string().min(1).max(256),
  url: z.url().optional(),
  text: z.string().max(10_000).default(""),
  author: z.object({
    id: z.string().min(1).max(256),
    handle: z.string().max(256).optional(),
    name: z.string().max(256).optional(),
  }),
  contactId: z.string().min(1).max(256).optional(),
  /** The brand post that was shared (shares). */
  sharedPostId: z.string().max(256).optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
});

/** social_mentioned / social_shared with the text's sentiment; the contact is contactId, else `<network>:<author id>`. */
export function mapSocialWebhook(body: unknown, workspaceId: string): MappedCallback {
  const parsed = socialWebhookBody.safeParse(body);
  if (!parsed.success) throw IngestError.invalid(issuesOf(parsed.error, "", body));
  const post = parsed.data;
  const sentiment = sentimentOf(post.text);
  return {
    workspaceId,
    contactId: post.contactId ?? `${post.network}:${post.author.id}`,
    event: post.type === "mention" ? SystemEvents.SocialMentioned : SystemEvents.SocialShared,
    messageId: `social:${post.network}:${post.type}:${post.postId}`,
    timestamp: post.occurredAt ? new Date(post.occurredAt) : undefined,
    properties: {
      network: post.network,
      post_id: post.postId,
      url: post.url,
      text: post.text,
      author_id: post.author.id,
      author_handle: post.author.handle,
      author_name: post.author.name,
      shared_post_id: post.sharedPostId,
      sentiment: sentiment.label,
      sentiment_score: sentiment.score,
      sentiment_comparative: sentiment.comparative,
    },
  };
}
