import { describe, expect, it } from "vitest";
import { detectReader } from "./user-agent.js";

describe("detectReader", () => {
  it("recognises Gmail's image proxy and says nothing about the device behind it", () => {
    const reader = detectReader(
      "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
    );
    expect(reader).toMatchObject({ emailClient: "Gmail", viaProxy: true, deviceType: "unknown" });
  });

  it("tells Apple Mail on an iPhone from Safari", () => {
    const mail = detectReader(
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    );
    expect(mail).toMatchObject({ emailClient: "Apple Mail", deviceType: "mobile", os: "iOS", viaProxy: false });
    const safari = detectReader(
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    );
    expect(safari.emailClient).toBe("unknown");
    expect(safari.browser).toBe("Safari");
  });

  it("recognises Outlook on Windows desktop and copes with an empty user agent", () => {
    const outlook = detectReader(
      "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; Microsoft Outlook 16.0.4266; ms-office; MSOffice 16)",
    );
    expect(outlook).toMatchObject({ emailClient: "Outlook", os: "Windows", deviceType: "desktop" });
    expect(detectReader(undefined)).toEqual({
      deviceType: "unknown",
      os: "unknown",
      browser: "unknown",
      emailClient: "unknown",
      viaProxy: false,
    });
  });
});
