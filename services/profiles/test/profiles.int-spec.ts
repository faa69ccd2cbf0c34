import { afterAll, beforeAll } from "vitest";
import { describeIdentityResolution } from "./identity.cases.js";
import { ProfilesHarness } from "./profiles-test-kit.js";
import { describeScoresConsentGdpr } from "./scoring-consent-gdpr.cases.js";

// One platform for all profiles cases: a platform start (Kafka group join) costs seconds on this machine, and
// two platforms in parallel would share the "profiles" Kafka consumer group across different topic suffixes.
const harness = new ProfilesHarness();
beforeAll(() => harness.start());
afterAll(() => harness.close());

describeIdentityResolution(harness);
describeScoresConsentGdpr(harness);
