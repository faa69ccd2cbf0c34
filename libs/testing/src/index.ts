export { testDatabaseUrl, testKafkaBrokers, uniqueName } from "./environment.js";
export { startTestPlatform, type TestPlatform, type TestPlatformOptions } from "./test-platform.js";
export { basicAuth, eventually, postJson } from "./http.js";
export { ensureTestDatabase } from "./test-database.js";
export { OutcomeCollector } from "./outcome-collector.js";
