import { seededRandom } from "@cascade/ml";
import type { Activity, ActivityKind } from "../features/activity.js";

const DAY_MS = 86_400_000;

/**
 * Synthetic stream history for tests and the bench: `contacts` contacts over `days` days before `now`.
 * Each has a hidden engagement level; a "churner" (more likely with low engagement and support tickets)
 * goes quiet at a random day; buyers purchase more after product interactions. Deterministic per seed.
 */
export function syntheticActivity(options: {
  readonly contacts: number;
  readonly days: number;
  readonly now: Date;
  readonly seed: number;
  readonly items?: number;
}): Map<string, Activity[]> {
  const random = seededRandom(options.seed);
  const byContact = new Map<string, Activity[]>();
  const kinds: ActivityKind[] = [
    "page_view",
    "email_engagement",
    "product_interaction",
    "content_view",
    "share",
    "support_ticket",
  ];
  const items = options.items ?? 20;
  const start = options.now.getTime() - options.days * DAY_MS;
  for (let c = 0; c < options.contacts; c++) {
    const contactId = `contact-${c}`;
    const level = random();
    const ticketProne = random() < 0.3;
    const churnRisk = 0.15 + 0.5 * (1 - level) + (ticketProne ? 0.2 : 0);
    const quitDay = random() < churnRisk ? Math.floor(random() * options.days) : options.days + 1;
    const taste = Math.floor(random() * 2);
    const rows: Activity[] = [];
    for (let day = 0; day < Math.min(quitDay, options.days); day++) {
      if (random() > 0.15 + 0.6 * level) continue;
      const events = 1 + Math.floor(random() * 4 * level + random());
      for (let e = 0; e < events; e++) {
        const kind =
          ticketProne && random() < 0.15 ? "support_ticket" : (kinds[Math.floor(random() * 5)] as ActivityKind);
        const occurredAt = new Date(start + (day + random()) * DAY_MS);
        const itemId =
          kind === "content_view" || kind === "share"
            ? `item-${taste * (items / 2) + Math.floor(random() * (items / 2))}`
            : null;
        rows.push({ contactId, occurredAt, kind, itemId, durationSeconds: Math.floor(random() * 300), value: null });
        if (kind === "product_interaction" && random() < 0.25 + 0.3 * level)
          rows.push({
            contactId,
            occurredAt: new Date(occurredAt.getTime() + 3_600_000),
            kind: "purchase",
            itemId: null,
            durationSeconds: 0,
            value: null,
          });
      }
    }
    rows.push({
      contactId,
      occurredAt: new Date(start),
      kind: "engagement_score",
      itemId: null,
      durationSeconds: 0,
      value: level,
    });
    byContact.set(
      contactId,
      rows.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime()),
    );
  }
  return byContact;
}
