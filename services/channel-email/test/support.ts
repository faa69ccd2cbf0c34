import {
  create,
  EmailRequestSchema,
  MessageCategory,
  newEnvelope,
  Topics,
  type EmailRequest,
  type MessageInitShape,
  type Outcome,
} from "@cascade/contracts";
import type { Subscription } from "@cascade/bus";
import { eventually, type TestPlatform } from "@cascade/testing";
import { randomUUID } from "node:crypto";

/** Collects outcomes.v1 of a test platform (its own consumer group). */
export class OutcomeCollector {
  readonly outcomes: Outcome[] = [];
  private subscription: Subscription | undefined;

  async start(platform: TestPlatform): Promise<this> {
    this.subscription = await platform.bus.subscribe({
      group: `outcome-collector-${randomUUID()}`,
      topic: Topics.OutcomesV1,
      handler: async (message) => {
        this.outcomes.push(message.value);
      },
    });
    return this;
  }

  for(idempotencyKey: string): Outcome[] {
    return this.outcomes.filter((outcome) => outcome.idempotencyKey === idempotencyKey);
  }

  /** Waits for an outcome of the key with the given status. */
  async waitFor(idempotencyKey: string, status: Outcome["status"], timeoutMs = 20_000): Promise<Outcome> {
    return eventually(async () => this.for(idempotencyKey).find((outcome) => outcome.status === status), timeoutMs);
  }

  async close(): Promise<void> {
    await this.subscription?.close();
  }
}

export function emailRequest(
  workspaceId: string,
  init: Partial<MessageInitShape<typeof EmailRequestSchema>> = {},
): EmailRequest {
  const key = init.idempotencyKey ?? `run-${randomUUID()}:send`;
  return create(EmailRequestSchema, {
    envelope: newEnvelope(workspaceId),
    idempotencyKey: key,
    runId: "run-1",
    nodeId: "send-welcome",
    workflowId: "wf-welcome",
    contactId: "contact-1",
    category: MessageCategory.MARKETING,
    from: { address: "news@shop.example", name: "Shop" },
    to: { address: "ada@example.com", name: "Ada" },
    subject: 'Hello {{default contact.first_name "there"}}',
    html: '<p>Hi {{contact.first_name}}, see <a href="https://shop.example/sale?utm_source=x">the sale</a></p>',
    variables: { contact: { first_name: "Ada", timezone: "UTC" } },
    ...init,
  } as MessageInitShape<typeof EmailRequestSchema>);
}

export const adminHeaders = (platform: TestPlatform): Record<string, string> => ({
  authorization: `Bearer ${platform.workspace.adminKey}`,
  "content-type": "application/json",
});

export async function putProviders(platform: TestPlatform, body: unknown): Promise<void> {
  const response = await fetch(`${platform.url}/api/email/providers`, {
    method: "PUT",
    headers: adminHeaders(platform),
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`PUT /api/email/providers: ${response.status} ${await response.text()}`);
}
