import { describe, expect, it } from "vitest";
import { withPublicUrlDefaults, withTeamDefaults } from "./public-url-defaults.js";

describe("embedded public URL defaults", () => {
  it("points every service's public URL at the platform's port when nothing is set", () => {
    expect(withPublicUrlDefaults({ PORT: "4000" })).toEqual({
      EMAIL_TRACKING_BASE_URL: "http://localhost:4000",
      EMAIL_PUBLIC_BASE_URL: "http://localhost:4000",
      PUSH_PUBLIC_URL: "http://localhost:4000",
    });
    expect(withPublicUrlDefaults({}).EMAIL_TRACKING_BASE_URL).toBe("http://localhost:3000");
  });

  it("uses CASCADE_PUBLIC_URL and keeps variables that are set", () => {
    const defaults = withPublicUrlDefaults({
      CASCADE_PUBLIC_URL: "https://cascade.example.com/",
      EMAIL_TRACKING_BASE_URL: "https://t.example.com",
    });
    expect(defaults).toEqual({
      EMAIL_PUBLIC_BASE_URL: "https://cascade.example.com",
      PUSH_PUBLIC_URL: "https://cascade.example.com",
    });
  });

  it("refuses a CASCADE_PUBLIC_URL that is not an http(s) URL, naming the variable", () => {
    expect(() => withPublicUrlDefaults({ CASCADE_PUBLIC_URL: "cascade.example.com" })).toThrow(/CASCADE_PUBLIC_URL/);
    expect(() => withPublicUrlDefaults({ CASCADE_PUBLIC_URL: "ftp://cascade.example.com" })).toThrow(/http\(s\) URL/);
  });

  it("gives the seed templates' teams local addresses unless ORCHESTRATOR_TEAMS is set", () => {
    expect(JSON.parse(withTeamDefaults({}).ORCHESTRATOR_TEAMS ?? "{}")).toEqual({
      sales: ["sales@cascade.local"],
      success: ["success@cascade.local"],
    });
    expect(withTeamDefaults({ ORCHESTRATOR_TEAMS: '{"sales":["a@b.co"]}' })).toEqual({});
  });
});
