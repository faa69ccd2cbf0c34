import type { Analytics } from "../analytics.js";
import type { DeliveryQueue } from "../delivery-queue.js";
import { downloadOf } from "../downloads.js";
import { EngagementClock } from "../engagement-clock.js";
import { collectFormFields, parseAllowList, type FormControl } from "../form-fields.js";
import type { JsonObject } from "../messages.js";
import { currentPageProperties } from "./page-context.js";

/** Which behaviours are tracked without code. Forms and CTAs still need their data attributes (opt-in). */
export interface AutoTrackOptions {
  /** A page call at start (and when a page comes back from the back/forward cache). Default true. */
  pageViews: boolean;
  /** "Page Engagement" with visible time on page, sent when the page is hidden or left. Default true. */
  timeOnPage: boolean;
  /** "Form Submitted" for forms marked `data-cascade-form`, with the fields named in `data-cascade-fields`. */
  forms: boolean;
  /** "CTA Clicked" for elements marked `data-cascade-cta`. */
  ctaClicks: boolean;
  /** "File Downloaded" for links to files with these extensions, or with a `download` attribute. */
  downloads: boolean;
  downloadExtensions: readonly string[];
  /** "Video Playback Started" / "Resumed" / "Completed" for HTML5 videos. */
  videos: boolean;
}

/** Event names the automatic tracking sends (track calls). */
export const AutoEvents = {
  PageEngagement: "Page Engagement",
  FormSubmitted: "Form Submitted",
  CtaClicked: "CTA Clicked",
  FileDownloaded: "File Downloaded",
  VideoPlaybackStarted: "Video Playback Started",
  VideoPlaybackResumed: "Video Playback Resumed",
  VideoPlaybackCompleted: "Video Playback Completed",
} as const;

const MAX_TEXT = 100;

/**
 * The thin DOM layer: listens to the page and turns what happens into calls on `analytics`; flushes the
 * queue with sendBeacon when the page is hidden or left, and resumes delivery when the browser is back
 * online. Returns a function that removes every listener.
 */
export function installAutoTracking(analytics: Analytics, queue: DeliveryQueue, options: AutoTrackOptions): () => void {
  const removers: Array<() => void> = [];
  const listen = (target: EventTarget, type: string, handler: (event: Event) => void, capture = true): void => {
    target.addEventListener(type, handler, capture);
    removers.push(() => target.removeEventListener(type, handler, capture));
  };

  let pageView: { id: string; properties: JsonObject; clock: EngagementClock } | undefined;
  const startPageView = (): void => {
    if (!options.pageViews) return;
    const properties = currentPageProperties();
    const id = analytics.page(undefined, properties);
    pageView = {
      id,
      properties,
      clock: new EngagementClock(() => performance.now(), document.visibilityState === "visible"),
    };
  };
  const reportEngagement = (): void => {
    if (!options.timeOnPage || !pageView) return;
    pageView.clock.hide();
    const { totalMs, sinceLastReportMs } = pageView.clock.report();
    if (sinceLastReportMs <= 0) return;
    const { url, path, title, referrer } = pageView.properties;
    analytics.track(AutoEvents.PageEngagement, {
      page_view_id: pageView.id,
      url,
      path,
      title,
      referrer,
      time_on_page_ms: totalMs,
      engaged_ms: sinceLastReportMs,
    });
  };
  const leaving = (): void => {
    reportEngagement();
    queue.flushOnUnload();
  };

  listen(document, "visibilitychange", () => {
    if (document.visibilityState === "hidden") leaving();
    else pageView?.clock.show();
  });
  listen(window, "pagehide", leaving);
  listen(window, "pageshow", (event) => {
    if ((event as PageTransitionEvent).persisted) startPageView();
  });
  listen(window, "online", () => void queue.resume());

  if (options.forms) listen(document, "submit", (event) => trackFormSubmission(analytics, event.target));
  if (options.ctaClicks || options.downloads) {
    listen(document, "click", (event) => {
      const target = event.target instanceof Element ? event.target : undefined;
      if (!target) return;
      if (options.ctaClicks) trackCtaClick(analytics, target);
      if (options.downloads) trackDownload(analytics, target, options.downloadExtensions);
    });
  }
  if (options.videos) {
    const started = new WeakSet<HTMLVideoElement>();
    listen(document, "play", (event) => {
      const video = event.target;
      if (!(video instanceof HTMLVideoElement)) return;
      const name = started.has(video) ? AutoEvents.VideoPlaybackResumed : AutoEvents.VideoPlaybackStarted;
      started.add(video);
      analytics.track(name, videoProperties(video));
    });
    listen(document, "ended", (event) => {
      if (event.target instanceof HTMLVideoElement)
        analytics.track(AutoEvents.VideoPlaybackCompleted, videoProperties(event.target));
    });
  }

  startPageView();
  return () => removers.splice(0).forEach((remove) => remove());
}

function trackFormSubmission(analytics: Analytics, target: EventTarget | null): void {
  if (!(target instanceof HTMLFormElement) || !target.hasAttribute("data-cascade-form")) return;
  const controls: FormControl[] = [];
  for (const element of Array.from(target.elements)) {
    if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
      controls.push({
        name: element.name,
        type: element.type,
        value: element.value,
        autocomplete: element.autocomplete,
        checked: element instanceof HTMLInputElement ? element.checked : undefined,
      });
    } else if (element instanceof HTMLSelectElement) {
      const selected = Array.from(element.selectedOptions, (option) => option.value);
      controls.push({
        name: element.name,
        type: element.type,
        value: element.value,
        autocomplete: element.autocomplete,
        selectedValues: element.multiple ? selected : undefined,
      });
    }
  }
  analytics.track(AutoEvents.FormSubmitted, {
    form_name: target.getAttribute("data-cascade-form") || target.id || target.getAttribute("name") || "",
    form_id: target.id,
    form_action: target.action,
    fields: collectFormFields(controls, parseAllowList(target.getAttribute("data-cascade-fields"))),
  });
}

function trackCtaClick(analytics: Analytics, target: Element): void {
  const cta = target.closest("[data-cascade-cta]");
  if (!cta) return;
  const text = textOf(cta);
  const properties: JsonObject = {
    cta_name: cta.getAttribute("data-cascade-cta") || text,
    cta_text: text,
    cta_id: cta.id,
  };
  const href = cta.getAttribute("href");
  if (href) properties.href = (cta as HTMLAnchorElement).href || href;
  // data-cascade-cta-location="hero" → properties.location = "hero"
  for (const attribute of Array.from(cta.attributes)) {
    if (attribute.name.startsWith("data-cascade-cta-"))
      properties[attribute.name.slice(17).replace(/-/g, "_")] = attribute.value;
  }
  analytics.track(AutoEvents.CtaClicked, properties);
}

function trackDownload(analytics: Analytics, target: Element, extensions: readonly string[]): void {
  const link = target.closest("a[href]");
  if (!(link instanceof HTMLAnchorElement)) return;
  const download = downloadOf({ href: link.href, hasDownloadAttribute: link.hasAttribute("download") }, extensions);
  if (!download) return;
  analytics.track(AutoEvents.FileDownloaded, {
    url: link.href,
    file_name: download.fileName,
    file_extension: download.fileExtension,
    link_text: textOf(link),
  });
}

/** Segment video spec properties of an HTML5 video. */
function videoProperties(video: HTMLVideoElement): JsonObject {
  const source = video.currentSrc || video.src;
  return {
    title: video.getAttribute("data-cascade-video") || video.title || source.slice(source.lastIndexOf("/") + 1),
    content_asset_id: video.id,
    url: source,
    position: Math.round(video.currentTime),
    total_length: Number.isFinite(video.duration) ? Math.round(video.duration) : null,
    sound: video.muted ? 0 : Math.round(video.volume * 100),
    full_screen: document.fullscreenElement === video,
    video_player: "html5",
  };
}

function textOf(element: Element): string {
  return (element.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, MAX_TEXT);
}
