export { ConfigError, type ConfigIssue } from "./config-error.js";
export { loadConfig, exitOnConfigError, type Environment, type ConfigErrorExit } from "./load-config.js";
export {
  port,
  postgresUrl,
  httpUrl,
  brokerList,
  booleanFlag,
  durationMs,
  logLevel,
  secret,
  optionalSecret,
  serviceName,
  shown,
  LOG_LEVELS,
  type LogLevel,
} from "./fields.js";
export { baseConfigSchema, baseConfigFor, type BaseConfig } from "./base-config.js";
