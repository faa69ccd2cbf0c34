import { Injectable } from "@nestjs/common";
import { SystemEvents } from "@cascade/contracts";
import { IngestError } from "../http/ingest-error.js";
import { verifySha256Header } from "../http/signatures.js";
import { AcceptEventsUseCase } from "../intake/accept-events.use-case.js";
import { systemEvent } from "../intake/system-event.js";
import { HooksRepository, type Hook } from "./hooks.repository.js";

export interface ReceiveWebhookCommand {
  hookId: string;
  rawBody: Buffer;
  /** The parsed body (JSON object, form fields) or, for other content types, the text. */
  body: unknown;
  contentType: string | undefined;
  signatureHeader: string | string[] | undefined;
  /** The sender's delivery id (Idempotency-Key / X-Cascade-Delivery), for de-duplication of retries. */
  deliveryId: string | undefined;
}

/**
 * A signed webhook call becomes a `webhook_received` event: properties `hook_id`, `hook_name`, `content_type` and
 * `body`. Its contact is the value at the hook's contactField in the body, else `webhook:<hookId>`.
 */
@Injectable()
export class ReceiveWebhookUseCase {
  constructor(
    private readonly hooks: HooksRepository,
    private readonly acceptEvents: AcceptEventsUseCase,
  ) {}

  async execute(command: ReceiveWebhookCommand): Promise<{ duplicate: boolean }> {
    const hook = await this.hooks.findActive(command.hookId);
    if (!hook) throw new IngestError("not_found", `no webhook ${command.hookId}`);
    if (!verifySha256Header(command.signatureHeader, hook.secret, command.rawBody)) {
      throw new IngestError(
        "bad_signature",
        "X-Cascade-Signature must be sha256=<hex HMAC-SHA256 of the raw body with the hook's secret>",
      );
    }
    const result = await this.acceptEvents.execute([
      systemEvent({
        workspaceId: hook.workspaceId,
        sourceId: hook.id,
        event: SystemEvents.WebhookReceived,
        contactId: contactOf(hook, command.body),
        messageId: command.deliveryId ? `hook:${hook.id}:${command.deliveryId}` : undefined,
        properties: {
          hook_id: hook.id,
          hook_name: hook.name,
          content_type: command.contentType ?? "",
          body: command.body ?? null,
        },
      }),
    ]);
    return { duplicate: result.duplicates > 0 };
  }
}

export function contactOf(hook: Pick<Hook, "id" | "contactField">, body: unknown): string {
  if (hook.contactField) {
    let value: unknown = body;
    for (const part of hook.contactField.split(".")) {
      value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
    }
    if ((typeof value === "string" && value !== "") || typeof value === "number") return String(value);
  }
  return `webhook:${hook.id}`;
}
