import { z } from "zod";
import {
  checkExpression,
  isTriggerKind,
  parseDuration,
  validateDefinition,
  type WorkflowNode,
  type WorkflowSettings,
} from "@cascade/workflow";
import type {
  CompiledExpression,
  CompiledTrigger,
  CompiledWorkflow,
  CountWindow,
  EndCondition,
  FrequencyLimit,
} from "./compiled-trigger.js";
import { eventNamesOf, rootsOf } from "./expression-facts.js";

export interface CompileInput {
  workspaceId: string;
  workflowId: string;
  version: number;
  definitionJson: string;
}

export type CompileResult =
  | { readonly ok: true; readonly workflow: CompiledWorkflow }
  | { readonly ok: false; readonly problems: readonly string[] };

const durationText = z.string().refine((text) => {
  const parsed = parseDuration(text);
  return parsed.ok && parsed.milliseconds > 0;
}, "must be a positive duration such as 1d or 12h");

const frequencyLimitSchema = z.object({ max: z.number().int().min(1), within: durationText });

/**
 * Entry-rule fields read from the raw definition JSON. They are not (yet) part of the libs/workflow settings
 * schema, which strips unknown keys, so they are read here: `settings.exclusions` (boolean expressions; a
 * matching contact is not started), `settings.frequencyLimit` (default for every trigger) and a trigger node's
 * `config.frequencyLimit` (`{ max, within }`: at most `max` starts per contact by that trigger within `within`).
 */
const entryRulesSchema = z.object({
  settings: z
    .object({
      exclusions: z.array(z.string().min(1, "must not be empty")).optional(),
      frequencyLimit: frequencyLimitSchema.optional(),
    })
    .optional(),
  nodes: z.array(
    z.object({ id: z.string(), config: z.object({ frequencyLimit: frequencyLimitSchema.optional() }).optional() }),
  ),
});

const toLimit = (raw: z.output<typeof frequencyLimitSchema> | undefined): FrequencyLimit | undefined =>
  raw ? { max: raw.max, withinMs: (parseDuration(raw.within) as { milliseconds: number }).milliseconds } : undefined;

const durationMs = (text: string, allowSign = false): number =>
  (parseDuration(text, { allowSign }) as { ok: true; milliseconds: number }).milliseconds;

/**
 * Turns a published definition into what the matcher indexes: every trigger node with its filter compiled once,
 * the exclusions, frequency limits, and goal / exit conditions. A definition that does not validate, or whose
 * filter does not parse or type-check, is refused with every problem listed: it never reaches the index.
 */
export function compileWorkflow(input: CompileInput): CompileResult {
  let json: unknown;
  try {
    json = JSON.parse(input.definitionJson);
  } catch (error) {
    return { ok: false, problems: [`definition_json: not JSON (${(error as Error).message})`] };
  }
  const validated = validateDefinition(json);
  if (!validated.ok || !validated.definition) {
    return {
      ok: false,
      problems: validated.problems.map(
        (problem) => `${problem.code}${problem.nodeId ? ` at node ${problem.nodeId}` : ""}: ${problem.message}`,
      ),
    };
  }
  const rules = entryRulesSchema.safeParse(json);
  if (!rules.success) {
    return {
      ok: false,
      problems: rules.error.issues.map((issue) => `invalid_entry_rule at ${issue.path.join(".")}: ${issue.message}`),
    };
  }

  return assemble(input, validated.definition.nodes, validated.definition.settings, rules.data);
}

/**
 * Compiles nodes that are already known to be valid (built by code, e.g. the scale test and the bench), without
 * the definition validator. The service itself always goes through {@link compileWorkflow}.
 */
export function compileTrustedNodes(
  input: Omit<CompileInput, "definitionJson">,
  nodes: readonly WorkflowNode[],
  settings: WorkflowSettings = { reentry: { policy: "always" } },
): CompileResult {
  return assemble(input, nodes, settings, { nodes: nodes.map((node) => ({ id: node.id })) });
}

const EXPRESSION_CACHE_LIMIT = 10_000;
const expressionCache = new Map<string, CompiledExpression>();

/** Parses and type-checks a boolean expression once per distinct source text (parsing is the costly part). */
function compileExpression(source: string): CompiledExpression | string {
  const cached = expressionCache.get(source);
  if (cached) return cached;
  const checked = checkExpression(source, { expect: "boolean" });
  if (!checked.ok) return checked.errors.map((error) => error.message).join("; ");
  const roots = rootsOf(checked.ast);
  const compiled = { source, ast: checked.ast, readsContact: roots.has("contact"), readsEvent: roots.has("event") };
  if (expressionCache.size >= EXPRESSION_CACHE_LIMIT) expressionCache.clear();
  expressionCache.set(source, compiled);
  return compiled;
}

function assemble(
  input: Omit<CompileInput, "definitionJson">,
  nodes: readonly WorkflowNode[],
  settings: WorkflowSettings,
  rules: z.output<typeof entryRulesSchema>,
): CompileResult {
  const problems: string[] = [];
  const compile = (source: string, where: string): CompiledExpression | undefined => {
    const compiled = compileExpression(source);
    if (typeof compiled === "string") {
      problems.push(`${where}: ${compiled}`);
      return undefined;
    }
    return compiled;
  };
  const optional = (source: string | undefined, where: string) =>
    source === undefined ? undefined : compile(source, where);

  const exclusions = (rules.settings?.exclusions ?? []).flatMap((source, index) => {
    const compiled = compile(source, `settings.exclusions[${index}]`);
    return compiled ? [compiled] : [];
  });
  const endConditions: EndCondition[] = [];
  const addEnd = (source: string, reason: EndCondition["reason"], where: string): void => {
    const expression = compile(source, where);
    if (expression) endConditions.push({ reason, expression, eventNames: eventNamesOf(expression.ast) });
  };
  if (settings.goal !== undefined) addEnd(settings.goal, "goal_reached", "settings.goal");
  (settings.exitConditions ?? []).forEach((source, index) =>
    addEnd(source, "exit_condition", `settings.exitConditions[${index}]`),
  );

  const defaultLimit = toLimit(rules.settings?.frequencyLimit);
  const nodeLimits = new Map(rules.nodes.map((node) => [node.id, toLimit(node.config?.frequencyLimit)]));
  const triggers: CompiledTrigger[] = [];
  const workflow: CompiledWorkflow = {
    workspaceId: input.workspaceId,
    workflowId: input.workflowId,
    version: input.version,
    triggers,
    exclusions,
    endConditions,
  };

  for (const node of nodes) {
    const base = {
      key: `${input.workflowId}/${node.id}`,
      nodeId: node.id,
      workflow,
      frequencyLimit: nodeLimits.get(node.id) ?? defaultLimit,
    };
    const trigger = compileTrigger(node, base, optional);
    if (trigger) triggers.push(trigger);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, workflow };
}

type Base = Pick<CompiledTrigger, "key" | "nodeId" | "workflow" | "frequencyLimit">;
type Compile = (source: string | undefined, where: string) => CompiledExpression | undefined;

function compileTrigger(node: WorkflowNode, base: Base, compile: Compile): CompiledTrigger | undefined {
  const where = (field: string) => `node ${node.id} config.${field}`;
  if (!isTriggerKind(node.kind)) return undefined;
  switch (node.kind) {
    case "event":
      return {
        ...base,
        kind: "event",
        eventName: node.config.event,
        filter: compile(node.config.filter, where("filter")),
      };
    case "behavioral": {
      const { config } = node;
      const windows: CountWindow[] = [];
      if (config.count) windows.push({ min: config.count.min, withinMs: durationMs(config.count.within) });
      if (config.visitFrequency) {
        windows.push({ min: config.visitFrequency.visits, withinMs: durationMs(config.visitFrequency.within) });
      }
      return {
        ...base,
        kind: "behavioral",
        eventNames: [...new Set(config.events)],
        urlPatterns: (config.urlPatterns ?? []).map((pattern) => pattern.toLowerCase()),
        windows,
        minTimeOnPageMs: config.minTimeOnPageSeconds === undefined ? undefined : config.minTimeOnPageSeconds * 1000,
        filter: compile(config.filter, where("filter")),
      };
    }
    case "webhook":
      return {
        ...base,
        kind: "webhook",
        hookId: node.config.hookId,
        filter: compile(node.config.filter, where("filter")),
      };
    case "predictive":
      return {
        ...base,
        kind: "predictive",
        model: node.config.model.toLowerCase(),
        threshold: node.config.threshold,
        direction: node.config.direction,
        filter: compile(node.config.filter, where("filter")),
      };
    case "manual":
      return { ...base, kind: "manual" };
    case "time_based": {
      const { config } = node;
      if (config.mode === "cron") {
        return {
          ...base,
          kind: "cron",
          cron: config.cron,
          timezone: config.timezone,
          audience: compile(config.audience, where("audience")),
        };
      }
      return {
        ...base,
        kind: "date_property",
        property: config.property.split("."),
        offsetMs: durationMs(config.offset, true),
        at: config.at,
        fallbackTimezone: config.fallbackTimezone,
        audience: compile(config.audience, where("audience")),
      };
    }
    default:
      return undefined;
  }
}
