import {
  PlatformHttp,
  SocialProviderError,
  type Engagement,
  type OutgoingPost,
  type PublishedPost,
  type SocialPublisher,
} from "./social-provider.js";

export interface FacebookSettings {
  pageId: string;
  pageAccessToken: string;
  /** https://graph.facebook.com in production. */
  baseUrl: string;
  apiVersion: string;
  timeoutMs: number;
}

interface GraphCreated {
  id?: string;
  post_id?: string;
}
interface GraphPostFields {
  shares?: { count?: number };
  reactions?: { summary?: { total_count?: number } };
  comments?: { summary?: { total_count?: number } };
}

/** Facebook Pages through the Graph API: POST /{page-id}/feed (text) or /{page-id}/photos (one image). */
export class FacebookPublisher implements SocialPublisher {
  readonly platform = "facebook";
  private readonly http: PlatformHttp;

  constructor(private readonly settings: FacebookSettings) {
    this.http = new PlatformHttp("facebook", settings.baseUrl, settings.timeoutMs);
  }

  async publish(post: OutgoingPost): Promise<PublishedPost> {
    const image = post.media[0];
    const { apiVersion, pageId, pageAccessToken } = this.settings;
    const { body } = image
      ? await this.http.call<GraphCreated>("POST", `/${apiVersion}/${pageId}/photos`, {
          form: { url: image.url, caption: post.text, access_token: pageAccessToken },
        })
      : await this.http.call<GraphCreated>("POST", `/${apiVersion}/${pageId}/feed`, {
          form: { message: post.text, access_token: pageAccessToken },
        });
    // A photo answers {id: photo id, post_id: page post id}; engagement lives on the post.
    const id = body.post_id ?? body.id;
    if (!id) throw new SocialProviderError("unknown", "facebook_bad_response", "facebook: the response has no post id");
    return { postId: id };
  }

  async fetchEngagement(postId: string): Promise<Engagement> {
    const fields = "shares,reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)";
    const query = new URLSearchParams({ fields, access_token: this.settings.pageAccessToken });
    const { body } = await this.http.call<GraphPostFields>(
      "GET",
      `/${this.settings.apiVersion}/${encodeURIComponent(postId)}?${query}`,
    );
    return {
      likes: body.reactions?.summary?.total_count ?? 0,
      shares: body.shares?.count ?? 0,
      comments: body.comments?.summary?.total_count ?? 0,
    };
  }
}
