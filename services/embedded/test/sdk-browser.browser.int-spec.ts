import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { launchChromium } from "./chromium.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventType, Topics, type Event } from "@cascade/contracts";
import type { Delivered, Subscription } from "@cascade/bus";
import { ingestService } from "@cascade/services/ingest";
import { eventually, startTestPlatform, uniqueName, type TestPlatform } from "@cascade/testing";

/**
 * The browser SDK in headless Chromium against a running ingest on the real Kafka broker: pages are served
 * from their own origin (a local HTTP server), the SDK posts to ingest cross-origin (CORS, text/plain JSON,
 * /v1/batch, sendBeacon on page hide), and the test reads what arrives on events.v1.
 */
const root = fileURLToPath(new URL("../../../", import.meta.url));
const artifacts = `${root}test-artifacts/sdk-browser`;

/** What libs/sdk-browser/build.mjs returns (loaded from its path: it is the build script, not a library). */
interface SdkBuild {
  buildSdk(options: { write: false }): Promise<{ iife: { code?: string } }>;
}

describe("sdk-browser in headless Chromium → ingest → events.v1", () => {
  let platform: TestPlatform;
  let browser: Browser;
  let site: Server;
  let siteUrl: string;
  let subscription: Subscription;
  const received: Event[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const { buildSdk } = (await import(pathToFileURL(`${root}libs/sdk-browser/build.mjs`).href)) as SdkBuild;
    const [built, started] = await Promise.all([
      buildSdk({ write: false }),
      startTestPlatform({ services: [ingestService], mode: "kafka" }),
    ]);
    platform = started;
    const sdk = built.iife.code ?? "";
    expect(sdk.length).toBeGreaterThan(0);
    site = createServer((request, response) => {
      const path = new URL(request.url ?? "/", "http://site").pathname;
      if (path === "/cascade.min.js") {
        response.writeHead(200, { "content-type": "text/javascript" }).end(sdk);
        return;
      }
      response
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end(pageHtml(path, platform.url, platform.workspace.writeKey));
    });
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    subscription = await platform.bus.subscribe({
      group: uniqueName("sdk-browser-test"),
      topic: Topics.EventsV1,
      handler: async (message: Delivered<Event>) => void received.push(message.value),
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await subscription?.close();
    await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
    await platform?.close();
  });

  /** A fresh browser profile (own localStorage, so its own anonymousId) with a page open. */
  const openPage = async (path: string): Promise<{ context: BrowserContext; page: Page; anonymousId: string }> => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const sdkErrors: string[] = [];
    page.on("pageerror", (error) => sdkErrors.push(error.message));
    await page.goto(`${siteUrl}${path}`);
    const anonymousId = await page.evaluate(
      () => (window as unknown as { cascade: { user(): { anonymousId: string } } }).cascade.user().anonymousId,
    );
    expect(sdkErrors).toEqual([]);
    return { context, page, anonymousId };
  };
  const eventsOf = (anonymousId: string): Event[] => received.filter((event) => event.anonymousId === anonymousId);
  const arrived = (anonymousId: string, match: (event: Event) => boolean): Promise<Event> =>
    eventually(async () => eventsOf(anonymousId).find(match), 20_000);
  const trackEvent = (name: string) => (event: Event) => event.type === EventType.TRACK && event.event === name;

  it("sends a page view on load and, when the page is left, its time on page (sendBeacon on pagehide)", async () => {
    const { context, page, anonymousId } = await openPage("/pricing?utm_source=newsletter");
    const pageView = await arrived(anonymousId, (event) => event.type === EventType.PAGE);
    expect(pageView.properties).toMatchObject({
      url: `${siteUrl}/pricing?utm_source=newsletter`,
      path: "/pricing",
      title: "Pricing",
      referrer: "",
    });
    expect(pageView.context).toMatchObject({
      library: { name: "@cascade/sdk-browser" },
      campaign: { source: "newsletter" },
    });
    expect(pageView.messageId).not.toBe("");

    await page.waitForTimeout(1_200); // visible time on the page
    await page.screenshot({ path: `${artifacts}/page-view.png` });
    await page.click("a#next"); // navigation: pagehide → "Page Engagement" handed to sendBeacon
    await page.waitForURL(`${siteUrl}/next`);

    const engagement = await arrived(anonymousId, trackEvent("Page Engagement"));
    expect(engagement.properties).toMatchObject({
      page_view_id: pageView.messageId,
      path: "/pricing",
      title: "Pricing",
    });
    const timeOnPage = Number(engagement.properties?.time_on_page_ms);
    expect(timeOnPage).toBeGreaterThanOrEqual(1_000);
    expect(timeOnPage).toBeLessThan(30_000);

    const nextView = await arrived(
      anonymousId,
      (event) => event.type === EventType.PAGE && event.properties?.path === "/next",
    );
    expect(nextView.properties?.referrer).toBe(`${siteUrl}/pricing?utm_source=newsletter`);
    await context.close();
  });

  it("keeps events made offline in the queue and delivers them after reconnecting", async () => {
    const { context, page, anonymousId } = await openPage("/pricing");
    await arrived(anonymousId, (event) => event.type === EventType.PAGE);

    await context.setOffline(true);
    const offlineIds = await page.evaluate(() => {
      const cascade = (window as unknown as { cascade: { track(event: string, properties: object): string } }).cascade;
      return [cascade.track("Offline Step", { step: 1 }), cascade.track("Offline Step", { step: 2 })];
    });
    await page.waitForTimeout(1_500); // several flush intervals and backoff rounds while offline
    expect(eventsOf(anonymousId).filter(trackEvent("Offline Step"))).toEqual([]);
    const stored = await page.evaluate(() =>
      Object.keys(localStorage)
        .filter((key) => key.startsWith("cascade.queue."))
        .map((key) => localStorage.getItem(key) ?? "")
        .join(""),
    );
    for (const id of offlineIds) expect(stored).toContain(id);
    await page.screenshot({ path: `${artifacts}/offline.png` });

    await context.setOffline(false);
    const delivered = await eventually(async () => {
      const steps = eventsOf(anonymousId).filter(trackEvent("Offline Step"));
      return steps.length >= 2 ? steps : undefined;
    }, 20_000);
    expect(delivered.map((event) => event.messageId).sort()).toEqual([...offlineIds].sort());
    expect(delivered.map((event) => event.properties?.step).sort()).toEqual([1, 2]);
    await eventually(async () =>
      (await page.evaluate(() => Object.keys(localStorage).some((key) => key.startsWith("cascade.queue."))))
        ? undefined
        : true,
    );
    await context.close();
  });

  it("records an opted-in form submission with its allow-listed fields, never the password or card fields", async () => {
    const { context, page, anonymousId } = await openPage("/signup");
    await page.fill("#email", "ada@example.com");
    await page.fill("#company", "Analytical Engines");
    await page.fill("#password", "hunter2-secret");
    await page.fill("#card", "4111111111111111");
    await page.fill("#notes", "not allow-listed");
    await page.screenshot({ path: `${artifacts}/form.png` });
    await page.click("#submit");
    await page.waitForURL(/\/thanks/);

    const submitted = await arrived(anonymousId, trackEvent("Form Submitted"));
    expect(submitted.properties).toMatchObject({ form_name: "Signup", form_id: "signup" });
    expect(submitted.properties?.fields).toEqual({ email: "ada@example.com", company: "Analytical Engines" });
    // The form is sent with GET, so its fields are in the URL of the page it leads to: that page view is
    // recorded with the sensitive parameters redacted.
    const thanks = await arrived(
      anonymousId,
      (event) => event.type === EventType.PAGE && String(event.properties?.path) === "/thanks",
    );
    expect(String(thanks.properties?.url)).toContain("password=[redacted]");
    const everything = JSON.stringify(
      eventsOf(anonymousId).map((event) => ({ properties: event.properties, context: event.context })),
    );
    expect(everything).not.toContain("hunter2-secret");
    expect(everything).not.toContain("4111111111111111");
    await context.close();
  });

  it("tracks CTA clicks marked with data attributes and file downloads", async () => {
    const { context, page, anonymousId } = await openPage("/pricing");
    await page.click("#cta");
    await page.click("#download");
    const cta = await arrived(anonymousId, trackEvent("CTA Clicked"));
    expect(cta.properties).toMatchObject({ cta_name: "Start trial", cta_text: "Try it free", location: "hero" });
    const download = await arrived(anonymousId, trackEvent("File Downloaded"));
    expect(download.properties).toMatchObject({
      file_name: "price-list.pdf",
      file_extension: "pdf",
      url: `${siteUrl}/files/price-list.pdf`,
    });
    await context.close();
  });
});

/** The test site's pages; every page starts the SDK with a short flush interval. */
function pageHtml(path: string, ingestUrl: string, writeKey: string): string {
  const start = `<script src="/cascade.min.js"></script>
<script>cascade.init(${JSON.stringify({ writeKey, host: ingestUrl, flushIntervalMs: 200, backoff: { initialMs: 200, maxMs: 1000 } })});</script>`;
  const bodies: Record<string, { title: string; body: string }> = {
    "/pricing": {
      title: "Pricing",
      body: `<h1>Pricing</h1><a id="next" href="/next">Next</a>
<a id="cta" href="#trial" data-cascade-cta="Start trial" data-cascade-cta-location="hero">Try it free</a>
<a id="download" href="/files/price-list.pdf" onclick="event.preventDefault()">Price list</a>`,
    },
    "/signup": {
      title: "Sign up",
      body: `<form id="signup" data-cascade-form="Signup" data-cascade-fields="email,company,password,card" action="/thanks" method="get">
<input id="email" name="email" type="email"><input id="company" name="company">
<input id="password" name="password" type="password"><input id="card" name="card" autocomplete="cc-number">
<textarea id="notes" name="notes"></textarea><button id="submit" type="submit">Sign up</button></form>`,
    },
  };
  const { title, body } = bodies[path] ?? { title: path.slice(1) || "Home", body: `<p>${path}</p>` };
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${start}</head><body>${body}</body></html>`;
}
