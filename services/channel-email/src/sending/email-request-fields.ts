import { MessageCategory, type EmailRequest, type JsonObject, type JsonValue } from "@cascade/contracts";

/**
 * What channel-email reads from an EmailRequest beyond its typed fields. The contact's data travels in
 * `variables` (there is no cross-service look-up):
 *   variables.contact.timezone       IANA zone for quiet hours (default EMAIL_DEFAULT_TIMEZONE)
 *   variables.contact.consent.email  "granted" | "denied" | "pending"
 *   variables.topic                  subscription topic of the message (preference page)
 *   variables.utm                    campaign UTM parameters added to tracked links
 *   variables.send_at_best_time      true: deliver at the contact's best hour within 24 h
 */
export interface RequestFacts {
  category: "transactional" | "marketing" | "operational";
  timeZone: string | undefined;
  consent: string | undefined;
  topic: string | undefined;
  utm: Record<string, string> | undefined;
  sendAtBestTime: boolean;
}

export function categoryName(category: MessageCategory): RequestFacts["category"] {
  switch (category) {
    case MessageCategory.TRANSACTIONAL:
      return "transactional";
    case MessageCategory.OPERATIONAL:
      return "operational";
    case MessageCategory.MARKETING:
    case MessageCategory.UNSPECIFIED:
      // Unspecified is treated as marketing: the strictest rules apply.
      return "marketing";
  }
}

const asObject = (value: JsonValue | undefined): JsonObject | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
const asString = (value: JsonValue | undefined): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

export function requestFacts(request: EmailRequest): RequestFacts {
  const variables = request.variables ?? {};
  const contact = asObject(variables["contact"]);
  const consent = asObject(contact?.["consent"]);
  const utm = asObject(variables["utm"]);
  return {
    category: categoryName(request.category),
    timeZone: asString(contact?.["timezone"]),
    consent: asString(consent?.["email"]),
    topic: asString(variables["topic"]),
    sendAtBestTime: variables["send_at_best_time"] === true || variables["send_at_best_time"] === "true",
    utm: utm
      ? Object.fromEntries(
          Object.entries(utm).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
        )
      : undefined,
  };
}

/** The Handlebars context: every variable, with contact / event / run always present as objects. */
export function templateContext(request: EmailRequest): Record<string, unknown> {
  const variables = request.variables ?? {};
  return {
    ...variables,
    contact: { id: request.contactId, email: request.to?.address, ...(asObject(variables["contact"]) ?? {}) },
    event: asObject(variables["event"]) ?? {},
    run: { id: request.runId, workflow_id: request.workflowId, ...(asObject(variables["run"]) ?? {}) },
  };
}
