/**
 * @cascade/workflow — the workflow definition model shared by studio, orchestrator and the builder UI:
 * node kinds with typed configs, the validator, the expression language, durations, A/B assignment and
 * the shipped templates. Pure TypeScript with no Node-only APIs, so it runs in the browser too.
 */
export * from "./expression/index.js";

export type { DurationParseResult, DurationUnit } from "./duration.js";
export { DURATION_UNIT_MS, durationToMilliseconds, formatDuration, parseDuration } from "./duration.js";

export type { WeightedVariant } from "./ab-split.js";
export { assignVariant, fnv1a32, stableUnitInterval } from "./ab-split.js";

export type { ValueSource } from "./definition/config-fields.js";
export { cronProblem, isValidTimeZone } from "./definition/config-fields.js";
export type {
  NodeOf,
  Position,
  RawWorkflowNode,
  WorkflowDefinition,
  WorkflowEdge,
  WorkflowNode,
  WorkflowSettings,
} from "./definition/definition.js";
export { edgeSchema, rawNodeSchema, settingsSchema } from "./definition/definition.js";
export type { ConfigExpression, NodeCategory, NodeKindSpec } from "./definition/node-kind.js";
export { NEXT_HANDLE } from "./definition/node-kind.js";
export { DEFAULT_CASE_HANDLE } from "./definition/logic-kinds.js";
export type { NodeConfig, NodeKind, NodeKindMetadata } from "./definition/node-kinds.js";
export {
  describeNodeKinds,
  handlesOf,
  isNodeKind,
  isTriggerKind,
  NODE_KIND_NAMES,
  NODE_KINDS,
} from "./definition/node-kinds.js";

export type { DefinitionProblem, ProblemCode } from "./validator/problems.js";
export { PROBLEM_CODES } from "./validator/problems.js";
export type { ValidateOptions, ValidationResult } from "./validator/validate-definition.js";
export { validateDefinition } from "./validator/validate-definition.js";

export type { TemplateCategory, WorkflowTemplate } from "./templates/index.js";
export {
  CHURN_RETURN_EVENT,
  CHURN_RISK_THRESHOLD,
  churnRetentionV1,
  customerOnboardingV1,
  findTemplate,
  leadQualificationV1,
  leadWelcomeV1,
  ONBOARDING_ENGAGEMENT_THRESHOLD,
  productLaunchDripV1,
  TEMPLATES,
} from "./templates/index.js";
