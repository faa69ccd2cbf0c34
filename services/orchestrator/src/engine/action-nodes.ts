import {
  durationToMilliseconds,
  evaluate,
  NEXT_HANDLE,
  type NodeOf,
  type ValueSource,
  type WorkflowNode,
} from "@cascade/workflow";
import type { NodeOutcome, Stepper } from "./engine.js";
import { outcomeWaitKey } from "./engine-types.js";
import { nextLocalTime } from "./local-time.js";
import type { Token } from "./run-state.js";

const NEXT: NodeOutcome = { type: "next", handle: NEXT_HANDLE };

/**
 * After a channel node published its request: continue at once, or, with `waitForOutcome`, park until the
 * channel's outcome for that idempotency key arrives (or the timeout).
 */
function afterSend(
  stepper: Stepper,
  idempotencyKey: string,
  waitForOutcome: { timeout: string } | undefined,
): NodeOutcome {
  if (waitForOutcome === undefined) return NEXT;
  const dueAt = new Date(stepper.env.now.getTime() + durationToMilliseconds(waitForOutcome.timeout));
  return {
    type: "wait",
    wait: { kind: "outcome", idempotencyKey, timeoutAt: dueAt.toISOString() },
    timer: "outcome_timeout",
    dueAt,
    waitEvent: outcomeWaitKey(idempotencyKey),
  };
}

/** Channel, delay, data and scoring nodes: everything the engine runs synchronously besides logic. */
export function executeActionNode(stepper: Stepper, token: Token, node: WorkflowNode): NodeOutcome {
  switch (node.kind) {
    case "email_send":
      return emailSend(stepper, token, node);
    case "sms_send": {
      const contact = stepper.contact();
      if (stepper.shouldWaitForAddress(token, contact.phone)) return stepper.waitForAddress();
      const idempotencyKey = stepper.idempotencyKeyOf(token);
      stepper.messages.push({
        type: "sms",
        nodeId: node.id,
        idempotencyKey,
        to: contact.phone ?? "",
        body: node.config.body,
        templateId: node.config.templateId,
        variables: templateVariables(stepper),
      });
      return afterSend(stepper, idempotencyKey, node.config.waitForOutcome);
    }
    case "web_push": {
      const idempotencyKey = stepper.idempotencyKeyOf(token);
      stepper.messages.push({
        type: "push",
        nodeId: node.id,
        idempotencyKey,
        title: node.config.title ?? "",
        body: node.config.body ?? "",
        url: node.config.url,
        icon: node.config.iconUrl,
      });
      return afterSend(stepper, idempotencyKey, node.config.waitForOutcome);
    }
    case "social_post": {
      const { run } = stepper.env;
      stepper.messages.push({
        type: "social",
        nodeId: node.id,
        idempotencyKey:
          node.config.once === "workflow"
            ? `${run.workflowId}:v${run.version}:${node.id}`
            : stepper.idempotencyKeyOf(token),
        platforms: node.config.networks,
        text: node.config.linkUrl && node.config.text ? `${node.config.text} ${node.config.linkUrl}` : node.config.text,
        mediaUrls: node.config.mediaUrls ?? [],
        broadcastKey: node.config.once === "workflow" ? `${run.workflowId}:v${run.version}:${node.id}` : undefined,
      });
      return NEXT;
    }
    case "delay":
      return delay(stepper, node);
    case "data_update":
      return dataUpdate(stepper, node);
    case "scoring_update":
      return scoringUpdate(stepper, node);
    case "notification_send":
      return notifyByEmail(stepper, token, node);
    default:
      return {
        type: "fail",
        error: { code: "UNSUPPORTED_NODE", message: `node kind '${node.kind}' cannot run here`, retryable: false },
      };
  }
}

function emailSend(stepper: Stepper, token: Token, node: NodeOf<"email_send">): NodeOutcome {
  const { config } = node;
  const to = stepper.contact().email;
  if (stepper.shouldWaitForAddress(token, to)) return stepper.waitForAddress();
  const idempotencyKey = stepper.idempotencyKeyOf(token);
  stepper.messages.push({
    type: "email",
    nodeId: node.id,
    idempotencyKey,
    category: "marketing",
    to: to ?? "",
    templateId: config.templateId,
    subject: config.subject,
    html: config.body,
    preheader: config.preheader,
    fromName: config.fromName,
    replyTo: config.replyTo,
    variants: (config.variants ?? []).map((variant) => ({ ...variant })),
    variables: templateVariables(stepper),
    tags: [stepper.env.run.workflowId, node.id],
  });
  return afterSend(stepper, idempotencyKey, config.waitForOutcome);
}

function notifyByEmail(stepper: Stepper, token: Token, node: NodeOf<"notification_send">): NodeOutcome {
  const { config } = node;
  const recipients = new Set<string>(config.emails ?? []);
  if (config.team !== undefined) for (const address of stepper.env.teams[config.team] ?? []) recipients.add(address);
  for (const user of config.users ?? []) if (user.includes("@")) recipients.add(user);
  if (recipients.size === 0) {
    return {
      type: "fail",
      error: {
        code: "NO_RECIPIENTS",
        message: `notification has no recipients: team '${config.team ?? ""}' is not configured (ORCHESTRATOR_TEAMS) and no emails are given`,
        retryable: false,
      },
    };
  }
  const key = stepper.idempotencyKeyOf(token);
  for (const to of [...recipients].sort()) {
    stepper.messages.push({
      type: "email",
      nodeId: node.id,
      idempotencyKey: `${key}:${to}`,
      category: "operational",
      to,
      subject: config.title ?? "Cascade notification",
      html: config.message,
      variants: [],
      variables: templateVariables(stepper),
      tags: ["notification", stepper.env.run.workflowId, node.id],
    });
  }
  return NEXT;
}

function delay(stepper: Stepper, node: NodeOf<"delay">): NodeOutcome {
  const { config } = node;
  const now = stepper.env.now;
  let dueAt: Date;
  switch (config.mode) {
    case "duration":
      dueAt = new Date(now.getTime() + durationToMilliseconds(config.duration));
      break;
    case "until_date": {
      const base = dateAt(stepper.context(), config.property);
      if (base === undefined)
        return config.ifPast === "continue" ? NEXT : { type: "exit", reason: "delay_date_missing" };
      dueAt = new Date(base.getTime() + durationToMilliseconds(config.offset, { allowSign: true }));
      if (dueAt.getTime() <= now.getTime())
        return config.ifPast === "continue" ? NEXT : { type: "exit", reason: "delay_date_past" };
      break;
    }
    case "until_local_time": {
      const timezone = stepper.contact().timezone;
      const zone = timezone !== null && isTimeZone(timezone) ? timezone : config.fallbackTimezone;
      dueAt = nextLocalTime(now, config.time, zone, config.days);
      break;
    }
  }
  return { type: "wait", wait: { kind: "delay", resumeAt: dueAt.toISOString() }, timer: "delay", dueAt };
}

function dataUpdate(stepper: Stepper, node: NodeOf<"data_update">): NodeOutcome {
  const traits: Record<string, unknown> = {};
  for (const update of node.config.updates) {
    const value = valueOf(stepper, update.set);
    if (update.field.startsWith("contact.traits.")) {
      const name = update.field.slice("contact.traits.".length);
      traits[name] = value;
      stepper.traitsPatch[name] = value;
    } else {
      stepper.vars[update.field.slice("run.vars.".length)] = value;
    }
  }
  if (Object.keys(traits).length > 0) stepper.messages.push({ type: "contact_traits", nodeId: node.id, traits });
  return NEXT;
}

function scoringUpdate(stepper: Stepper, node: NodeOf<"scoring_update">): NodeOutcome {
  const { score, operation, value, reason } = node.config;
  const current = stepper.contact()[score] ?? 0;
  const next = operation === "add" ? current + value : value;
  if (score === "lead_score") stepper.leadScore = next;
  else stepper.engagementScore = next;
  stepper.messages.push({
    type: "score_adjusted",
    nodeId: node.id,
    score,
    delta: next - current,
    value,
    operation,
    reason,
  });
  return NEXT;
}

/** Evaluates a `{ value }` / `{ expression }` source into a JSON value (dates as ISO strings). */
export function valueOf(stepper: Pick<Stepper, "env" | "context">, source: ValueSource): unknown {
  if ("value" in source) return source.value;
  return toJsonValue(
    evaluate(stepper.env.definition.expression(source.expression), stepper.context(), { now: stepper.env.now }),
  );
}

export function toJsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  return value;
}

/** What channel services render Handlebars with: contact, event, run (with vars) and trigger. */
function templateVariables(stepper: Stepper): Record<string, unknown> {
  return stepper.context();
}

function dateAt(context: Record<string, unknown>, path: string): Date | undefined {
  let current: unknown = context;
  for (const segment of path.split(".")) {
    if (current === null || typeof current !== "object" || !Object.prototype.hasOwnProperty.call(current, segment))
      return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  if (current instanceof Date) return current;
  if (typeof current === "string" || typeof current === "number") {
    const date = new Date(current);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
