import {
  PlatformHttp,
  SocialProviderError,
  type Engagement,
  type OutgoingPost,
  type PublishedPost,
  type SocialPublisher,
} from "./social-provider.js";

/** A post that mentions the brand account. */
export interface Mention {
  id: string;
  text: string;
  authorId: string;
  authorHandle: string;
  createdAt: Date;
  /** The brand's post this mention quotes or retweets (a share), when any. */
  sharedPostId?: string;
  /** Likes + reposts + replies + quotes the mention itself earned so far. */
  engagement: number;
}

export interface MentionPage {
  mentions: Mention[];
  /** The cursor for the next poll (X `meta.newest_id`); undefined when nothing new. */
  newestId?: string;
}

export interface XSettings {
  /** OAuth 2.0 user-context token with tweet.write (and tweet.read for engagement). */
  accessToken: string;
  /** https://api.x.com in production. */
  baseUrl: string;
  timeoutMs: number;
}

interface XTweetCreated {
  data?: { id?: string };
}
interface XMentionsResponse {
  data?: Array<{
    id: string;
    text: string;
    author_id?: string;
    created_at?: string;
    referenced_tweets?: Array<{ type: "quoted" | "retweeted" | "replied_to"; id: string }>;
    public_metrics?: { like_count?: number; retweet_count?: number; reply_count?: number; quote_count?: number };
  }>;
  includes?: { users?: Array<{ id: string; username: string }> };
  meta?: { newest_id?: string; result_count?: number };
}
interface XTweetLookup {
  data?: {
    public_metrics?: { like_count?: number; retweet_count?: number; quote_count?: number; reply_count?: number };
  };
}

/** X API v2: POST /2/tweets, GET /2/tweets/:id?tweet.fields=public_metrics. */
export class XPublisher implements SocialPublisher {
  readonly platform = "x";
  private readonly http: PlatformHttp;

  constructor(private readonly settings: XSettings) {
    this.http = new PlatformHttp("x", settings.baseUrl, settings.timeoutMs);
  }

  async publish(post: OutgoingPost): Promise<PublishedPost> {
    const { body } = await this.http.call<XTweetCreated>("POST", "/2/tweets", {
      headers: this.auth(),
      json: { text: post.text },
    });
    const id = body.data?.id;
    if (!id) throw new SocialProviderError("unknown", "x_bad_response", "x: the response has no tweet id");
    return { postId: id };
  }

  async fetchEngagement(postId: string): Promise<Engagement> {
    const { body } = await this.http.call<XTweetLookup>(
      "GET",
      `/2/tweets/${encodeURIComponent(postId)}?tweet.fields=public_metrics`,
      { headers: this.auth() },
    );
    const metrics = body.data?.public_metrics ?? {};
    return {
      likes: metrics.like_count ?? 0,
      shares: (metrics.retweet_count ?? 0) + (metrics.quote_count ?? 0),
      comments: metrics.reply_count ?? 0,
    };
  }

  /** Replies to a post (auto-responses): POST /2/tweets with reply.in_reply_to_tweet_id. */
  async reply(text: string, inReplyToId: string): Promise<PublishedPost> {
    const { body } = await this.http.call<XTweetCreated>("POST", "/2/tweets", {
      headers: this.auth(),
      json: { text, reply: { in_reply_to_tweet_id: inReplyToId } },
    });
    const id = body.data?.id;
    if (!id) throw new SocialProviderError("unknown", "x_bad_response", "x: the response has no tweet id");
    return { postId: id };
  }

  /**
   * Mentions of `userId` newer than `sinceId` (GET /2/users/:id/mentions). X offers webhooks for mentions only
   * through the enterprise Account Activity API, so channel-social polls. One page of up to 100 per call.
   */
  async fetchMentions(userId: string, sinceId: string | undefined): Promise<MentionPage> {
    const query = new URLSearchParams({
      max_results: "100",
      expansions: "author_id,referenced_tweets.id",
      "tweet.fields": "created_at,author_id,referenced_tweets,public_metrics",
      "user.fields": "username",
    });
    if (sinceId) query.set("since_id", sinceId);
    const { body } = await this.http.call<XMentionsResponse>(
      "GET",
      `/2/users/${encodeURIComponent(userId)}/mentions?${query}`,
      { headers: this.auth() },
    );
    const handles = new Map((body.includes?.users ?? []).map((user) => [user.id, user.username]));
    const mentions = (body.data ?? []).map((tweet): Mention => {
      const shared = tweet.referenced_tweets?.find(
        (reference) => reference.type === "quoted" || reference.type === "retweeted",
      );
      const metrics = tweet.public_metrics ?? {};
      return {
        id: tweet.id,
        text: tweet.text,
        authorId: tweet.author_id ?? "",
        authorHandle: handles.get(tweet.author_id ?? "") ?? "",
        createdAt: tweet.created_at ? new Date(tweet.created_at) : new Date(0),
        sharedPostId: shared?.id,
        engagement:
          (metrics.like_count ?? 0) +
          (metrics.retweet_count ?? 0) +
          (metrics.reply_count ?? 0) +
          (metrics.quote_count ?? 0),
      };
    });
    return { mentions, newestId: body.meta?.newest_id };
  }

  private auth(): Record<string, string> {
    return { authorization: `Bearer ${this.settings.accessToken}` };
  }
}
