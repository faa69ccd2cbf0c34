import { MessageCategory } from "@cascade/contracts";

/** The rules of one use-case category. */
export interface CategoryRules {
  /** Name in the ledger and outcomes. */
  name: "transactional" | "marketing" | "customer_service";
  /** TCPA: a recorded opt-in with its evidence is required. */
  needsOptIn: boolean;
  /** Sent only inside the recipient's local send window. */
  quietHours: boolean;
  /** Counts against (and is limited by) the per-contact frequency cap. */
  frequencyCap: boolean;
}

const RULES: Record<MessageCategory, CategoryRules> = {
  [MessageCategory.TRANSACTIONAL]: { name: "transactional", needsOptIn: false, quietHours: false, frequencyCap: false },
  [MessageCategory.MARKETING]: { name: "marketing", needsOptIn: true, quietHours: true, frequencyCap: true },
  // The proto's OPERATIONAL is the "customer service" use case: replies and account notices, sent in
  // waking hours, not capped, covered by the implied consent of the conversation.
  [MessageCategory.OPERATIONAL]: { name: "customer_service", needsOptIn: false, quietHours: true, frequencyCap: false },
  // Unknown category: the strictest rules.
  [MessageCategory.UNSPECIFIED]: { name: "marketing", needsOptIn: true, quietHours: true, frequencyCap: true },
};

export function rulesFor(category: MessageCategory): CategoryRules {
  return RULES[category] ?? RULES[MessageCategory.UNSPECIFIED];
}
