import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FakePlatform = "x" | "facebook" | "linkedin" | "instagram";

/** One post a fake platform published. */
export interface ReceivedPost {
  platform: FakePlatform;
  id: string;
  text: string;
  mediaUrl?: string;
  mediaType?: string;
  /** LinkedIn: the LinkedIn-Version header sent. */
  version?: string;
  /** X: the post this one replies to. */
  inReplyTo?: string;
}

/** A mention the fake X serves from GET /2/users/:id/mentions. */
export interface FakeMention {
  id: string;
  text: string;
  authorId: string;
  username: string;
  /** A brand tweet this mention quotes. */
  quotes?: string;
  likes?: number;
}

export type FakeAnswer = { status: number; message?: string };

/**
 * A local HTTP server on 127.0.0.1 speaking the parts of four platform APIs channel-social uses, with their
 * authentication: X v2 `POST /2/tweets` + `GET /2/tweets/:id` (Bearer); Graph API `POST /{v}/{page}/feed|photos`,
 * `POST /{v}/{ig-user}/media` + `GET /{v}/{container}` + `POST /{v}/{ig-user}/media_publish`, `GET /{v}/{id}`
 * (access_token); LinkedIn `POST /rest/posts` (Bearer + LinkedIn-Version, id in x-restli-id) and
 * `GET /rest/socialActions/{urn}`. It keeps every published post and serves engagement counters set by tests.
 */
export class FakeSocialPlatforms {
  readonly received: ReceivedPost[] = [];
  /** Canned failures per platform, consumed one per publish request. */
  readonly failures = new Map<FakePlatform, FakeAnswer[]>();
  /** Engagement per post id. */
  readonly engagement = new Map<string, { likes: number; shares: number; comments: number }>();
  /** Mentions of the brand account on X, served newest first. */
  readonly mentions: FakeMention[] = [];
  /** Milliseconds to wait before answering a publish (bench: simulated latency). */
  delayMs = 0;
  readonly credentials = {
    xToken: "x-user-token",
    xUserId: "2244994945",
    pageId: "1001",
    pageToken: "fb-page-token",
    igUserId: "17841400000000001",
    igToken: "ig-token",
    linkedInToken: "li-token",
    organizationUrn: "urn:li:organization:2414183",
  };
  private server: Server | undefined;
  private counter = 0;
  private readonly containers = new Map<
    string,
    { text: string; mediaUrl: string; mediaType: string; checks: number }
  >();

  get url(): string {
    const address = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  postsOn(platform: FakePlatform): ReceivedPost[] {
    return this.received.filter((post) => post.platform === platform);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    const { pageId, igUserId } = this.credentials;
    if (request.method === "POST" && this.delayMs > 0)
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (request.method === "POST" && path === "/2/tweets") return this.tweet(request, raw, response);
    if (request.method === "GET" && path === `/2/users/${this.credentials.xUserId}/mentions`)
      return this.mentionsOf(request, url.searchParams, response);
    if (request.method === "GET" && path.startsWith("/2/tweets/"))
      return this.tweetLookup(request, path.slice("/2/tweets/".length), response);
    if (request.method === "POST" && (path === `/v21.0/${pageId}/feed` || path === `/v21.0/${pageId}/photos`))
      return this.pagePost(raw, path.endsWith("photos"), response);
    if (request.method === "POST" && path === `/v21.0/${igUserId}/media`) return this.igContainer(raw, response);
    if (request.method === "POST" && path === `/v21.0/${igUserId}/media_publish`) return this.igPublish(raw, response);
    if (request.method === "GET" && path.startsWith("/v21.0/"))
      return this.graphGet(path.slice("/v21.0/".length), url.searchParams, response);
    if (request.method === "POST" && path === "/rest/posts") return this.linkedInPost(request, raw, response);
    if (request.method === "GET" && path.startsWith("/rest/socialActions/"))
      return this.linkedInActions(request, decodeURIComponent(path.slice("/rest/socialActions/".length)), response);
    reply(response, 404, { message: `no route ${request.method} ${path}` });
  }

  private failure(platform: FakePlatform): FakeAnswer | undefined {
    return this.failures.get(platform)?.shift();
  }

  private publish(platform: FakePlatform, id: string, text: string, extra: Partial<ReceivedPost> = {}): void {
    this.received.push({ platform, id, text, ...extra });
    this.engagement.set(id, { likes: 0, shares: 0, comments: 0 });
  }

  private tweet(request: IncomingMessage, raw: string, response: ServerResponse): void {
    if (request.headers.authorization !== `Bearer ${this.credentials.xToken}`)
      return reply(response, 401, { title: "Unauthorized", detail: "Unauthorized", status: 401 });
    const failure = this.failure("x");
    if (failure)
      return reply(response, failure.status, {
        title: "Error",
        detail: failure.message ?? "failure",
        status: failure.status,
      });
    const body = JSON.parse(raw) as { text?: string; reply?: { in_reply_to_tweet_id?: string } };
    if (!body.text) return reply(response, 400, { title: "Invalid Request", detail: "text is required" });
    const id = String(1_800_000_000_000_000_000n + BigInt(++this.counter));
    this.publish(
      "x",
      id,
      body.text,
      body.reply?.in_reply_to_tweet_id ? { inReplyTo: body.reply.in_reply_to_tweet_id } : {},
    );
    reply(response, 201, { data: { id, text: body.text, edit_history_tweet_ids: [id] } });
  }

  private mentionsOf(request: IncomingMessage, query: URLSearchParams, response: ServerResponse): void {
    if (request.headers.authorization !== `Bearer ${this.credentials.xToken}`)
      return reply(response, 401, { detail: "Unauthorized" });
    const since = query.get("since_id");
    const fresh = this.mentions
      .filter((mention) => !since || BigInt(mention.id) > BigInt(since))
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    if (fresh.length === 0) return reply(response, 200, { meta: { result_count: 0 } });
    reply(response, 200, {
      data: fresh.map((mention) => ({
        id: mention.id,
        text: mention.text,
        author_id: mention.authorId,
        created_at: "2030-01-15T11:00:00.000Z",
        ...(mention.quotes ? { referenced_tweets: [{ type: "quoted", id: mention.quotes }] } : {}),
        public_metrics: { like_count: mention.likes ?? 0, retweet_count: 0, reply_count: 0, quote_count: 0 },
      })),
      includes: {
        users: fresh.map((mention) => ({ id: mention.authorId, username: mention.username, name: mention.username })),
      },
      meta: { newest_id: fresh[0]?.id, oldest_id: fresh.at(-1)?.id, result_count: fresh.length },
    });
  }

  private tweetLookup(request: IncomingMessage, id: string, response: ServerResponse): void {
    if (request.headers.authorization !== `Bearer ${this.credentials.xToken}`)
      return reply(response, 401, { detail: "Unauthorized" });
    const counts = this.engagement.get(id);
    if (!counts) return reply(response, 404, { detail: `tweet ${id} not found` });
    reply(response, 200, {
      data: {
        id,
        public_metrics: {
          like_count: counts.likes,
          retweet_count: counts.shares,
          quote_count: 0,
          reply_count: counts.comments,
        },
      },
    });
  }

  private pagePost(raw: string, photo: boolean, response: ServerResponse): void {
    const form = new URLSearchParams(raw);
    if (form.get("access_token") !== this.credentials.pageToken)
      return reply(response, 400, {
        error: { message: "Invalid OAuth access token.", type: "OAuthException", code: 190 },
      });
    const failure = this.failure("facebook");
    if (failure) return reply(response, failure.status, { error: { message: failure.message ?? "failure", code: 1 } });
    const postId = `${this.credentials.pageId}_${++this.counter}`;
    if (photo) {
      this.publish("facebook", postId, form.get("caption") ?? "", { mediaUrl: form.get("url") ?? undefined });
      return reply(response, 200, { id: `photo${this.counter}`, post_id: postId });
    }
    this.publish("facebook", postId, form.get("message") ?? "");
    reply(response, 200, { id: postId });
  }

  private igContainer(raw: string, response: ServerResponse): void {
    const form = new URLSearchParams(raw);
    if (form.get("access_token") !== this.credentials.igToken)
      return reply(response, 400, { error: { message: "Invalid OAuth access token.", code: 190 } });
    const failure = this.failure("instagram");
    if (failure) return reply(response, failure.status, { error: { message: failure.message ?? "failure", code: 1 } });
    const mediaUrl = form.get("image_url") ?? form.get("video_url");
    if (!mediaUrl)
      return reply(response, 400, {
        error: { message: "The parameter image_url or video_url is required", code: 100 },
      });
    const id = `container${++this.counter}`;
    this.containers.set(id, {
      text: form.get("caption") ?? "",
      mediaUrl,
      mediaType: form.get("media_type") ?? "IMAGE",
      checks: 0,
    });
    reply(response, 200, { id });
  }

  private igPublish(raw: string, response: ServerResponse): void {
    const form = new URLSearchParams(raw);
    if (form.get("access_token") !== this.credentials.igToken)
      return reply(response, 400, { error: { message: "Invalid OAuth access token.", code: 190 } });
    const container = this.containers.get(form.get("creation_id") ?? "");
    if (!container) return reply(response, 400, { error: { message: "Media ID is not available", code: 9007 } });
    // A video must have been checked as FINISHED first (it takes two checks here).
    if (container.mediaType === "REELS" && container.checks < 2)
      return reply(response, 400, { error: { message: "Media ID is not available", code: 9007 } });
    this.containers.delete(form.get("creation_id") ?? "");
    const id = `1790000000${++this.counter}`;
    this.publish("instagram", id, container.text, { mediaUrl: container.mediaUrl, mediaType: container.mediaType });
    reply(response, 200, { id });
  }

  private graphGet(id: string, query: URLSearchParams, response: ServerResponse): void {
    const container = this.containers.get(id);
    if (container) {
      if (query.get("access_token") !== this.credentials.igToken)
        return reply(response, 400, { error: { message: "Invalid OAuth access token.", code: 190 } });
      container.checks++;
      return reply(response, 200, {
        id,
        status_code: container.mediaType === "REELS" && container.checks < 2 ? "IN_PROGRESS" : "FINISHED",
      });
    }
    const counts = this.engagement.get(id);
    if (!counts) return reply(response, 404, { error: { message: `Object ${id} does not exist`, code: 100 } });
    const post = this.received.find((received) => received.id === id);
    if (post?.platform === "instagram")
      return reply(response, 200, { id, like_count: counts.likes, comments_count: counts.comments });
    reply(response, 200, {
      id,
      shares: { count: counts.shares },
      reactions: { summary: { total_count: counts.likes } },
      comments: { summary: { total_count: counts.comments } },
    });
  }

  private linkedInPost(request: IncomingMessage, raw: string, response: ServerResponse): void {
    if (request.headers.authorization !== `Bearer ${this.credentials.linkedInToken}`)
      return reply(response, 401, { status: 401, message: "Invalid access token" });
    const version = request.headers["linkedin-version"];
    if (typeof version !== "string" || !/^\d{6}$/.test(version))
      return reply(response, 426, { status: 426, message: "A version must be present" });
    const failure = this.failure("linkedin");
    if (failure)
      return reply(response, failure.status, { status: failure.status, message: failure.message ?? "failure" });
    const body = JSON.parse(raw) as { author?: string; commentary?: string; lifecycleState?: string };
    if (body.author !== this.credentials.organizationUrn)
      return reply(response, 403, { status: 403, message: `Not enough permissions to post as ${body.author}` });
    const id = `urn:li:share:70000000000${++this.counter}`;
    this.publish("linkedin", id, body.commentary ?? "", { version });
    response.writeHead(201, { "x-restli-id": id });
    response.end();
  }

  private linkedInActions(request: IncomingMessage, urn: string, response: ServerResponse): void {
    if (request.headers.authorization !== `Bearer ${this.credentials.linkedInToken}`)
      return reply(response, 401, { status: 401, message: "Invalid access token" });
    const counts = this.engagement.get(urn);
    if (!counts) return reply(response, 404, { status: 404, message: `${urn} not found` });
    reply(response, 200, {
      target: urn,
      likesSummary: { totalLikes: counts.likes },
      commentsSummary: { aggregatedTotalComments: counts.comments },
    });
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
