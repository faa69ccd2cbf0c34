import type { DataSource } from "typeorm";
import type { Clock } from "../clock.js";
import type { ProviderKind } from "../config/email-config.js";
import { formatAddress, type EmailProvider, type OutgoingEmail, type ProviderReceipt } from "./email-provider.js";

/**
 * The built-in outbox: with no provider configured, mail is stored in channel_email.mail_outbox and shown by
 * GET /api/email/outbox, so a newcomer sees what their workflows send. It never leaves the machine.
 */
export class OutboxProvider implements EmailProvider {
  readonly kind: ProviderKind = "outbox";
  readonly account = "outbox";
  readonly ratePerSecond = 1_000_000;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async send(email: OutgoingEmail): Promise<ProviderReceipt> {
    const rows = (await this.dataSource.query(
      `INSERT INTO channel_email.mail_outbox (workspace_id, idempotency_key, contact_id, from_address, to_address, subject, html, text, headers, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10) RETURNING id`,
      [
        email.workspaceId,
        email.idempotencyKey,
        email.contactId,
        formatAddress(email.from),
        formatAddress(email.to),
        email.subject,
        email.html,
        email.text,
        JSON.stringify(email.headers),
        this.clock.now(),
      ],
    )) as Array<{ id: string }>;
    return { providerMessageId: `outbox-${rows[0]?.id ?? "?"}` };
  }

  async findSent(idempotencyKey: string): Promise<ProviderReceipt | null> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM channel_email.mail_outbox WHERE idempotency_key = $1 ORDER BY id LIMIT 1`,
      [idempotencyKey],
    )) as Array<{ id: string }>;
    return rows[0] ? { providerMessageId: `outbox-${rows[0].id}` } : null;
  }
}

export interface OutboxMail {
  id: number;
  idempotencyKey: string;
  contactId: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  createdAt: string;
}

/** Recent mails of a workspace in the built-in outbox, newest first. */
export async function listOutboxMails(
  dataSource: DataSource,
  workspaceId: string,
  limit: number,
): Promise<OutboxMail[]> {
  const rows = (await dataSource.query(
    `SELECT * FROM channel_email.mail_outbox WHERE workspace_id = $1 ORDER BY id DESC LIMIT $2`,
    [workspaceId, limit],
  )) as Array<Record<string, unknown>>;
  return rows.map((row) => ({
    id: Number(row.id),
    idempotencyKey: String(row.idempotency_key),
    contactId: String(row.contact_id),
    from: String(row.from_address),
    to: String(row.to_address),
    subject: String(row.subject),
    html: String(row.html),
    text: String(row.text),
    headers: row.headers as Record<string, string>,
    createdAt: new Date(row.created_at as string).toISOString(),
  }));
}
