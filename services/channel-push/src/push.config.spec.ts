import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, type Environment } from "@cascade/config";
import { fcmCredentialsOf, pushConfigSchema } from "./push.config.js";

const privateKeyPem = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString();
const keyJson = (fields: Record<string, unknown> = {}): string =>
  JSON.stringify({
    type: "service_account",
    project_id: "key-project",
    private_key_id: "abc",
    private_key: privateKeyPem,
    client_email: "push@key-project.iam.gserviceaccount.com",
    token_uri: "https://oauth2.googleapis.com/token",
    ...fields,
  });

function configError(env: Environment): ConfigError {
  try {
    loadConfig(pushConfigSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a configuration error");
}

describe("push configuration: FCM credentials", () => {
  const directory = mkdtempSync(join(tmpdir(), "cascade-push-config-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("takes a service-account key from FCM_SERVICE_ACCOUNT_JSON; the project defaults to the key's", () => {
    const credentials = fcmCredentialsOf(loadConfig(pushConfigSchema, { FCM_SERVICE_ACCOUNT_JSON: keyJson() }));
    expect(credentials).toMatchObject({
      kind: "service-account",
      projectId: "key-project",
      key: { clientEmail: "push@key-project.iam.gserviceaccount.com", tokenUri: "https://oauth2.googleapis.com/token" },
    });
    const overridden = loadConfig(pushConfigSchema, {
      FCM_SERVICE_ACCOUNT_JSON: keyJson({ project_id: undefined }),
      FCM_PROJECT_ID: "other-project",
    });
    expect(fcmCredentialsOf(overridden)?.projectId).toBe("other-project");
  });

  it("reads the key from FCM_SERVICE_ACCOUNT_FILE", () => {
    const path = join(directory, "service-account.json");
    writeFileSync(path, keyJson());
    expect(fcmCredentialsOf(loadConfig(pushConfigSchema, { FCM_SERVICE_ACCOUNT_FILE: path }))).toMatchObject({
      kind: "service-account",
      projectId: "key-project",
    });
    const missing = join(directory, "missing.json");
    expect(configError({ FCM_SERVICE_ACCOUNT_FILE: missing }).issues).toEqual([
      { variable: "FCM_SERVICE_ACCOUNT_FILE", reason: `cannot read ${missing}: ENOENT` },
    ]);
    const bad = join(directory, "bad.json");
    writeFileSync(bad, keyJson({ private_key: undefined }));
    expect(configError({ FCM_SERVICE_ACCOUNT_FILE: bad }).issues).toEqual([
      {
        variable: "FCM_SERVICE_ACCOUNT_FILE",
        reason: `invalid service-account key in ${bad}: missing field "private_key"`,
      },
    ]);
  });

  it("keeps FCM_ACCESS_TOKEN as a static alternative, which needs FCM_PROJECT_ID", () => {
    const config = loadConfig(pushConfigSchema, { FCM_PROJECT_ID: "p", FCM_ACCESS_TOKEN: "ya29.x" });
    expect(fcmCredentialsOf(config)).toEqual({ kind: "static-token", projectId: "p", accessToken: "ya29.x" });
    expect(configError({ FCM_ACCESS_TOKEN: "ya29.x" }).issues).toEqual([
      { variable: "FCM_PROJECT_ID", reason: "required with FCM_ACCESS_TOKEN" },
    ]);
    expect(fcmCredentialsOf(loadConfig(pushConfigSchema, {}))).toBeUndefined();
  });

  it("stops start-up naming the variable and the field of a bad key, without quoting the key", () => {
    const error = configError({ FCM_SERVICE_ACCOUNT_JSON: keyJson({ client_email: "" }) });
    expect(error.issues).toEqual([
      {
        variable: "FCM_SERVICE_ACCOUNT_JSON",
        reason: 'invalid service-account key: field "client_email" must be a non-empty string',
      },
    ]);
    expect(error.message).toContain("FCM_SERVICE_ACCOUNT_JSON");
    const broken = configError({ FCM_SERVICE_ACCOUNT_JSON: keyJson().replace("{", "{,") });
    expect(broken.issues[0]?.reason).toMatch(/^invalid service-account key: not valid JSON/);
    expect(broken.message).not.toContain("PRIVATE KEY");
    expect(configError({ FCM_SERVICE_ACCOUNT_JSON: keyJson({ project_id: undefined }) }).issues).toEqual([
      {
        variable: "FCM_SERVICE_ACCOUNT_JSON",
        reason: 'invalid service-account key: missing field "project_id" (or set FCM_PROJECT_ID)',
      },
    ]);
  });

  it("refuses two sources of credentials at once", () => {
    const path = join(directory, "both.json");
    writeFileSync(path, keyJson());
    expect(configError({ FCM_SERVICE_ACCOUNT_JSON: keyJson(), FCM_SERVICE_ACCOUNT_FILE: path }).issues).toEqual([
      {
        variable: "FCM_SERVICE_ACCOUNT_FILE",
        reason: "set FCM_SERVICE_ACCOUNT_JSON or FCM_SERVICE_ACCOUNT_FILE, not both",
      },
    ]);
    expect(configError({ FCM_SERVICE_ACCOUNT_JSON: keyJson(), FCM_ACCESS_TOKEN: "ya29.x" }).issues[0]).toMatchObject({
      variable: "FCM_ACCESS_TOKEN",
    });
  });
});
