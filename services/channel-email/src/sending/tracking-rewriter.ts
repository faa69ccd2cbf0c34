import { clickTrackingUrl, openPixelUrl, type TrackedMessage } from "@cascade/tracking";

export interface TrackingSettings {
  baseUrl: string;
  secret: string;
  opens: boolean;
  clicks: boolean;
  utm?: Record<string, string>;
}

/**
 * Rewrites http(s) links to ingest's signed click redirect (the original URL, its own UTM parameters kept, and
 * campaign UTM added by ingest where the link has none) and appends the open pixel. Links marked
 * `data-cascade-track="off"` and mailto:/tel: links are left alone.
 */
export function addTracking(html: string, message: TrackedMessage, settings: TrackingSettings): string {
  let result = html;
  if (settings.clicks) {
    result = result.replace(
      /<a\b([^>]*?)\shref=(["'])(https?:\/\/[^"']+)\2([^>]*)>/gi,
      (match, before: string, quote: string, url: string, after: string) => {
        if (/data-cascade-track=["']off["']/i.test(match)) return match;
        const original = url.replace(/&amp;/g, "&");
        const tracked = clickTrackingUrl(settings.baseUrl, message, original, settings.secret, settings.utm);
        return `<a${before} href=${quote}${tracked}${quote}${after}>`;
      },
    );
  }
  if (settings.opens) {
    const pixel = `<img src="${openPixelUrl(settings.baseUrl, message, settings.secret)}" width="1" height="1" alt="" style="display:none" />`;
    result = /<\/body>/i.test(result) ? result.replace(/<\/body>/i, `${pixel}</body>`) : `${result}${pixel}`;
  }
  return result;
}
