import type { JsonObject } from "../messages.js";
import { redactUrl } from "../url-redaction.js";
import { SDK_NAME, SDK_VERSION } from "../version.js";

/**
 * The current page as Segment's page properties: url (without the fragment), path, search, referrer, title;
 * sensitive query parameters (a password in the URL of a page a GET form led to) are redacted.
 */
export function currentPageProperties(): JsonObject {
  const { href, pathname, search, hash } = window.location;
  return {
    url: redactUrl(hash ? href.slice(0, href.length - hash.length) : href),
    path: pathname,
    search: redactUrl(search),
    referrer: redactUrl(document.referrer),
    title: document.title,
  };
}

/** Segment's `context` object for a message sent from this page. */
export function browserContext(): JsonObject {
  const campaign = utmCampaign(window.location.search);
  let timezone: string | undefined;
  try {
    timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    timezone = undefined;
  }
  return {
    library: { name: SDK_NAME, version: SDK_VERSION },
    page: currentPageProperties(),
    userAgent: navigator.userAgent,
    locale: navigator.language,
    screen: { width: window.screen.width, height: window.screen.height },
    ...(timezone ? { timezone } : {}),
    ...(campaign ? { campaign } : {}),
  };
}

/** `utm_source=x&utm_campaign=y` → `{ source: "x", name: "y" }` (Segment names utm_campaign `name`). */
export function utmCampaign(search: string): JsonObject | undefined {
  const campaign: JsonObject = {};
  new URLSearchParams(search).forEach((value, key) => {
    if (!key.startsWith("utm_")) return;
    const field = key.slice(4);
    campaign[field === "campaign" ? "name" : field] = value;
  });
  return Object.keys(campaign).length > 0 ? campaign : undefined;
}
