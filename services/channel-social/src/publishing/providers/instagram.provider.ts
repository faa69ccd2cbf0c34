import {
  PlatformHttp,
  SocialProviderError,
  type Engagement,
  type OutgoingPost,
  type PublishedPost,
  type SocialPublisher,
} from "./social-provider.js";

export interface InstagramSettings {
  igUserId: string;
  accessToken: string;
  /** https://graph.facebook.com in production. */
  baseUrl: string;
  apiVersion: string;
  timeoutMs: number;
  /** Video containers are processed asynchronously: check every pollMs, at most pollAttempts times. */
  pollMs: number;
  pollAttempts: number;
}

interface GraphId {
  id?: string;
}
interface ContainerStatus {
  status_code?: "EXPIRED" | "ERROR" | "FINISHED" | "IN_PROGRESS" | "PUBLISHED";
  status?: string;
}
interface MediaFields {
  like_count?: number;
  comments_count?: number;
}

/**
 * Instagram content publishing (Graph API): POST /{ig-user-id}/media creates a container (image_url, or
 * video_url with media_type REELS), a video container is polled until FINISHED, then POST
 * /{ig-user-id}/media_publish publishes it.
 */
export class InstagramPublisher implements SocialPublisher {
  readonly platform = "instagram";
  private readonly http: PlatformHttp;

  constructor(private readonly settings: InstagramSettings) {
    this.http = new PlatformHttp("instagram", settings.baseUrl, settings.timeoutMs);
  }

  async publish(post: OutgoingPost): Promise<PublishedPost> {
    const media = post.media[0];
    if (!media)
      throw new SocialProviderError("rejected", "media_required", "instagram: a post needs an image or a video");
    const { apiVersion, igUserId, accessToken } = this.settings;
    const fields: Record<string, string> =
      media.kind === "video"
        ? { media_type: "REELS", video_url: media.url, caption: post.text }
        : { image_url: media.url, caption: post.text };
    let containerId: string | undefined;
    try {
      const container = await this.http.call<GraphId>("POST", `/${apiVersion}/${igUserId}/media`, {
        form: { ...fields, access_token: accessToken },
      });
      containerId = container.body.id;
      if (!containerId)
        throw new SocialProviderError(
          "rejected",
          "instagram_bad_response",
          "instagram: the media container has no id; nothing was published",
        );
      if (media.kind === "video") await this.waitUntilFinished(containerId);
    } catch (error) {
      // Nothing is public before media_publish (an unpublished container expires in 24 h), so a failure up to
      // here is provably "not published": safe to retry, never "unknown".
      if (error instanceof SocialProviderError && error.kind === "unknown")
        throw new SocialProviderError("not_sent", error.reason, error.message, error.status);
      throw error;
    }
    const published = await this.http.call<GraphId>("POST", `/${apiVersion}/${igUserId}/media_publish`, {
      form: { creation_id: containerId, access_token: accessToken },
    });
    if (!published.body.id)
      throw new SocialProviderError(
        "unknown",
        "instagram_bad_response",
        "instagram: media_publish answered without a media id",
      );
    return { postId: published.body.id };
  }

  async fetchEngagement(postId: string): Promise<Engagement> {
    const query = new URLSearchParams({ fields: "like_count,comments_count", access_token: this.settings.accessToken });
    const { body } = await this.http.call<MediaFields>(
      "GET",
      `/${this.settings.apiVersion}/${encodeURIComponent(postId)}?${query}`,
    );
    // Instagram exposes no share count for media.
    return { likes: body.like_count ?? 0, shares: 0, comments: body.comments_count ?? 0 };
  }

  private async waitUntilFinished(containerId: string): Promise<void> {
    const query = new URLSearchParams({ fields: "status_code,status", access_token: this.settings.accessToken });
    for (let attempt = 1; attempt <= this.settings.pollAttempts; attempt++) {
      const { body } = await this.http.call<ContainerStatus>(
        "GET",
        `/${this.settings.apiVersion}/${containerId}?${query}`,
      );
      if (body.status_code === "FINISHED") return;
      if (body.status_code === "ERROR" || body.status_code === "EXPIRED") {
        throw new SocialProviderError(
          "rejected",
          "instagram_media_error",
          `instagram: video container ${body.status_code}: ${body.status ?? "no detail"}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.settings.pollMs));
    }
    throw new SocialProviderError(
      "rejected",
      "instagram_media_timeout",
      `instagram: the video was not processed after ${this.settings.pollAttempts} checks; nothing was published`,
    );
  }
}
