import Bowser from "bowser";

/** What an open or click tells about where the email was read. */
export interface ReaderDevice {
  /** desktop | mobile | tablet | tv | unknown */
  deviceType: string;
  os: string;
  browser: string;
  /** Gmail, Apple Mail, Outlook, Yahoo Mail, Thunderbird, … or "unknown". */
  emailClient: string;
  /**
   * True when the request came from a mail provider's image proxy (Gmail, Yahoo) or Apple Mail Privacy
   * Protection prefetch: the open then says little about the reader's device, and may not be a human open.
   */
  viaProxy: boolean;
}

/** Email clients recognisable from the user agent of the request that fetched the pixel or followed the link. */
const EMAIL_CLIENTS: Array<{ pattern: RegExp; client: string; proxy: boolean }> = [
  { pattern: /GoogleImageProxy|ggpht\.com/i, client: "Gmail", proxy: true },
  { pattern: /YahooMailProxy/i, client: "Yahoo Mail", proxy: true },
  { pattern: /Microsoft Outlook|ms-office|MSOffice|Outlook-(iOS|Android)/i, client: "Outlook", proxy: false },
  { pattern: /Thunderbird/i, client: "Thunderbird", proxy: false },
  { pattern: /Superhuman/i, client: "Superhuman", proxy: false },
  { pattern: /YandexMail|Yandex\.Mail/i, client: "Yandex Mail", proxy: true },
];

/**
 * Detects device, OS and browser (bowser) and the email client (the table above). Apple Mail sends a plain
 * WebKit user agent without a browser token ("Mozilla/5.0 (Macintosh…) AppleWebKit/605.1.15 (KHTML, like Gecko)"),
 * which is how it is told apart from Safari.
 */
export function detectReader(userAgent: string | undefined): ReaderDevice {
  const ua = userAgent ?? "";
  if (ua === "")
    return { deviceType: "unknown", os: "unknown", browser: "unknown", emailClient: "unknown", viaProxy: false };
  const parsed = Bowser.parse(ua);
  const known = EMAIL_CLIENTS.find((entry) => entry.pattern.test(ua));
  const appleMail =
    !known &&
    /AppleWebKit/.test(ua) &&
    /(Macintosh|iPhone|iPad)/.test(ua) &&
    !/(Safari|Chrome|CriOS|FxiOS|Firefox)\//.test(ua);
  const emailClient = known?.client ?? (appleMail ? "Apple Mail" : "unknown");
  return {
    deviceType: known?.proxy ? "unknown" : (parsed.platform.type ?? "unknown"),
    os: known?.proxy ? "unknown" : (parsed.os.name ?? "unknown"),
    browser: parsed.browser.name ?? "unknown",
    emailClient,
    viaProxy: known?.proxy ?? false,
  };
}
