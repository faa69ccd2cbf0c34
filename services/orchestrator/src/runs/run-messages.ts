import {
  create,
  EmailAddressSchema,
  EmailRequestSchema,
  EmailTrackingSchema,
  EmailVariantSchema,
  EventSchema,
  EventType,
  MessageCategory,
  newEnvelope,
  PushRequestSchema,
  RunErrorSchema,
  RunEventKind,
  RunStatus,
  SmsRequestSchema,
  SocialPlatform,
  SocialRequestSchema,
  timestampFromDate,
  WorkflowRunEventSchema,
  type EmailRequest,
  type Event,
  type JsonObject,
  type PushRequest,
  type SmsRequest,
  type SocialRequest,
  type WorkflowRunEvent,
} from "@cascade/contracts";
import type {
  MessageCategoryName,
  OutgoingMessage,
  RunEventKindName,
  RunEventSpec,
  RunIdentity,
} from "../engine/engine-types.js";
import type { RunStatusName } from "../engine/run-state.js";

/** Turns engine output into contract messages. Pure; the run executor writes them to the outbox. */

const EVENT_KINDS: Record<RunEventKindName, RunEventKind> = {
  run_started: RunEventKind.RUN_STARTED,
  node_entered: RunEventKind.NODE_ENTERED,
  node_completed: RunEventKind.NODE_COMPLETED,
  node_failed: RunEventKind.NODE_FAILED,
  node_waiting: RunEventKind.NODE_WAITING,
  run_finished: RunEventKind.RUN_FINISHED,
};

const STATUSES: Record<RunStatusName, RunStatus> = {
  running: RunStatus.RUNNING,
  waiting: RunStatus.WAITING,
  completed: RunStatus.COMPLETED,
  failed: RunStatus.FAILED,
  cancelled: RunStatus.CANCELLED,
  exited: RunStatus.EXITED,
};

const CATEGORIES: Record<MessageCategoryName, MessageCategory> = {
  marketing: MessageCategory.MARKETING,
  transactional: MessageCategory.TRANSACTIONAL,
  operational: MessageCategory.OPERATIONAL,
};

const PLATFORMS: Record<string, SocialPlatform> = {
  x: SocialPlatform.X,
  linkedin: SocialPlatform.LINKEDIN,
  facebook: SocialPlatform.FACEBOOK,
  instagram: SocialPlatform.INSTAGRAM,
};

export function runEventMessage(run: RunIdentity, spec: RunEventSpec): WorkflowRunEvent {
  return create(WorkflowRunEventSchema, {
    envelope: newEnvelope(run.workspace, new Date(spec.at)),
    kind: EVENT_KINDS[spec.kind],
    runId: run.runId,
    workflowId: run.workflowId,
    version: run.version,
    contactId: run.contactId,
    nodeId: spec.nodeId ?? "",
    nodeKind: spec.nodeKind ?? "",
    status: STATUSES[spec.status],
    error: spec.error ? create(RunErrorSchema, spec.error) : undefined,
    nodeDurationMs: spec.nodeDurationMs ?? 0,
    runDurationMs: spec.runDurationMs ?? 0,
    branch: spec.branch ?? "",
    resumeAt: spec.resumeAt ? timestampFromDate(new Date(spec.resumeAt)) : undefined,
  });
}

/** A JSON-safe copy (dates become ISO strings, undefined disappears) for google.protobuf.Struct fields. */
export function toJsonObject(value: unknown): JsonObject {
  const json = JSON.parse(JSON.stringify(value ?? {})) as unknown;
  return json !== null && typeof json === "object" && !Array.isArray(json) ? (json as JsonObject) : {};
}

export type ContractMessage =
  | { readonly topic: "email"; readonly value: EmailRequest }
  | { readonly topic: "sms"; readonly value: SmsRequest }
  | { readonly topic: "push"; readonly value: PushRequest }
  | { readonly topic: "social"; readonly value: SocialRequest }
  | { readonly topic: "events"; readonly value: Event };

export function contractMessage(run: RunIdentity, message: OutgoingMessage, now: Date): ContractMessage {
  const envelope = newEnvelope(run.workspace, now);
  const common = {
    envelope,
    runId: run.runId,
    workflowId: run.workflowId,
    contactId: run.contactId,
    nodeId: message.nodeId,
  };
  switch (message.type) {
    case "email":
      return {
        topic: "email",
        value: create(EmailRequestSchema, {
          ...common,
          idempotencyKey: message.idempotencyKey,
          category: CATEGORIES[message.category],
          templateId: message.templateId ?? "",
          from: message.fromName ? create(EmailAddressSchema, { name: message.fromName }) : undefined,
          to: create(EmailAddressSchema, { address: message.to }),
          replyTo: message.replyTo ? create(EmailAddressSchema, { address: message.replyTo }) : undefined,
          subject: message.subject ?? "",
          html: message.html ?? "",
          variants: message.variants.map((variant) =>
            create(EmailVariantSchema, {
              variantId: variant.id,
              subject: variant.subject ?? message.subject ?? "",
              html: variant.body ?? message.html ?? "",
              weight: Math.max(1, Math.round(variant.weight)),
            }),
          ),
          variables: toJsonObject({ ...message.variables, preheader: message.preheader ?? null }),
          tracking: create(EmailTrackingSchema, {
            opens: message.category === "marketing",
            clicks: message.category === "marketing",
          }),
          tags: [...message.tags],
        }),
      };
    case "sms":
      return {
        topic: "sms",
        value: create(SmsRequestSchema, {
          ...common,
          idempotencyKey: message.idempotencyKey,
          category: MessageCategory.MARKETING,
          to: message.to,
          body: message.body ?? "",
          variables: toJsonObject(message.variables),
        }),
      };
    case "push":
      return {
        topic: "push",
        value: create(PushRequestSchema, {
          ...common,
          idempotencyKey: message.idempotencyKey,
          category: MessageCategory.MARKETING,
          title: message.title,
          body: message.body,
          url: message.url ?? "",
          icon: message.icon ?? "",
        }),
      };
    case "social":
      return {
        topic: "social",
        value: create(SocialRequestSchema, {
          ...common,
          idempotencyKey: message.idempotencyKey,
          category: MessageCategory.MARKETING,
          platforms: message.platforms.map((platform) => PLATFORMS[platform] ?? SocialPlatform.UNSPECIFIED),
          text: message.text ?? "",
          mediaUrls: [...message.mediaUrls],
        }),
      };
    case "contact_traits":
      return {
        topic: "events",
        value: create(EventSchema, {
          envelope,
          type: EventType.IDENTIFY,
          contactId: run.contactId,
          userId: run.contactId,
          messageId: `${run.runId}:${message.nodeId}:${envelope.id}`,
          traits: toJsonObject(message.traits),
          context: toJsonObject({
            source: "orchestrator",
            run_id: run.runId,
            workflow_id: run.workflowId,
            node_id: message.nodeId,
          }),
          timestamp: timestampFromDate(now),
          receivedAt: timestampFromDate(now),
        }),
      };
    case "score_adjusted":
      return {
        topic: "events",
        value: create(EventSchema, {
          envelope,
          type: EventType.TRACK,
          event: message.score === "lead_score" ? "lead_score_adjusted" : "engagement_score_adjusted",
          contactId: run.contactId,
          userId: run.contactId,
          messageId: `${run.runId}:${message.nodeId}:${envelope.id}`,
          properties: toJsonObject({
            score: message.score,
            delta: message.delta,
            operation: message.operation,
            value: message.value,
            reason: message.reason ?? null,
          }),
          context: toJsonObject({
            source: "orchestrator",
            run_id: run.runId,
            workflow_id: run.workflowId,
            node_id: message.nodeId,
          }),
          timestamp: timestampFromDate(now),
          receivedAt: timestampFromDate(now),
        }),
      };
  }
}
