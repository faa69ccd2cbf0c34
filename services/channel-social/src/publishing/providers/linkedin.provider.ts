import {
  PlatformHttp,
  SocialProviderError,
  type Engagement,
  type OutgoingPost,
  type PublishedPost,
  type SocialPublisher,
} from "./social-provider.js";

export interface LinkedInSettings {
  accessToken: string;
  /** urn:li:organization:<id> of the company page. */
  organizationUrn: string;
  /** https://api.linkedin.com in production. */
  baseUrl: string;
  /** LinkedIn-Version header, YYYYMM. */
  version: string;
  timeoutMs: number;
}

interface SocialActions {
  likesSummary?: { totalLikes?: number };
  commentsSummary?: { aggregatedTotalComments?: number };
}

/** LinkedIn company-page posts through the versioned REST API: POST /rest/posts (id in the x-restli-id header). */
export class LinkedInPublisher implements SocialPublisher {
  readonly platform = "linkedin";
  private readonly http: PlatformHttp;

  constructor(private readonly settings: LinkedInSettings) {
    this.http = new PlatformHttp("linkedin", settings.baseUrl, settings.timeoutMs);
  }

  async publish(post: OutgoingPost): Promise<PublishedPost> {
    const { headers } = await this.http.call<unknown>("POST", "/rest/posts", {
      headers: this.headers(),
      json: {
        author: this.settings.organizationUrn,
        commentary: escapeLittleText(post.text),
        visibility: "PUBLIC",
        distribution: { feedDistribution: "MAIN_FEED", targetEntities: [], thirdPartyDistributionChannels: [] },
        lifecycleState: "PUBLISHED",
        isReshareDisabledByAuthor: false,
      },
    });
    const id = headers.get("x-restli-id");
    if (!id)
      throw new SocialProviderError(
        "unknown",
        "linkedin_bad_response",
        "linkedin: the response has no x-restli-id header",
      );
    return { postId: id };
  }

  async fetchEngagement(postId: string): Promise<Engagement> {
    // Share counts of organization posts need the organizationalEntityShareStatistics API; not fetched here.
    const { body } = await this.http.call<SocialActions>("GET", `/rest/socialActions/${encodeURIComponent(postId)}`, {
      headers: this.headers(),
    });
    return {
      likes: body.likesSummary?.totalLikes ?? 0,
      shares: 0,
      comments: body.commentsSummary?.aggregatedTotalComments ?? 0,
    };
  }

  private headers(): Record<string, string> {
    return {
      authorization: `Bearer ${this.settings.accessToken}`,
      "linkedin-version": this.settings.version,
      "x-restli-protocol-version": "2.0.0",
    };
  }
}

/**
 * LinkedIn "little text" commentary: `| { } @ [ ] ( ) < > # \ * _ ~` are markup and are backslash-escaped to
 * appear as typed; a #hashtag becomes the `{hashtag|\#|tag}` template so it stays a hashtag.
 */
export function escapeLittleText(text: string): string {
  const escaped = text.replace(/[\\|{}@[\]()<>#*_~]/g, (char) => `\\${char}`);
  return escaped.replace(
    /(^|[^\p{L}\p{N}_])\\#((?:[\p{L}\p{N}]|\\_)+)/gu,
    (_match, before: string, tag: string) => `${before}{hashtag|\\#|${tag.replace(/\\_/g, "_")}}`,
  );
}
