import type { WorkflowDefinition } from "../definition/definition.js";
import { chain, column } from "./template-helpers.js";

/**
 * Scores engagement and hands qualified leads to sales: each page view, email open or content download
 * adds 10 to the lead score; at 50 the lead is marked qualified in the CRM and the sales team is told.
 */
export const leadQualificationV1: WorkflowDefinition = {
  id: "lead_qualification_v1",
  name: "Lead qualification",
  description:
    "Behavioural trigger (page_view, email_open, content_download) → score +10 → when score >= 50: CRM lead_status = qualified → notify sales.",
  version: 1,
  settings: { reentry: { policy: "always" }, allowConcurrentRuns: false },
  nodes: [
    {
      id: "trigger",
      kind: "behavioral",
      label: "Engagement activity",
      config: { events: ["page_view", "email_open", "content_download"] },
      position: column(0, 0),
    },
    {
      id: "add_score",
      kind: "scoring_update",
      label: "Lead score +10",
      config: { score: "lead_score", operation: "add", value: 10, reason: "engagement activity" },
      position: column(0, 1),
    },
    {
      id: "is_qualified",
      kind: "condition_check",
      label: "Score >= 50 and not yet qualified",
      // The second clause keeps sales from being notified again on every later event.
      config: { expression: "score >= 50 and coalesce(contact.traits.lead_status, '') != 'qualified'" },
      position: column(0, 2),
    },
    {
      id: "mark_qualified",
      kind: "data_update",
      label: "lead_status = qualified",
      config: { updates: [{ field: "contact.traits.lead_status", set: { value: "qualified" } }] },
      position: column(0, 3),
    },
    {
      id: "crm_qualified",
      kind: "crm_update",
      label: "CRM: qualified",
      config: {
        provider: "generic",
        object: "lead",
        fields: { lead_status: { value: "qualified" }, lead_score: { expression: "score" } },
      },
      position: column(0, 4),
    },
    {
      id: "notify_sales",
      kind: "notification_send",
      label: "Tell sales",
      config: {
        channel: "email",
        team: "sales",
        title:
          "New qualified lead: {{#if contact.traits.company}}{{contact.traits.company}}{{else}}{{contact.email}}{{/if}}",
        message:
          "{{#if contact.traits.first_name}}{{contact.traits.first_name}} {{contact.traits.last_name}}{{else}}{{contact.email}}{{/if}} reached a lead score of {{contact.lead_score}} and is now qualified.",
      },
      position: column(0, 5),
    },
    { id: "done", kind: "exit", label: "Handed to sales", config: { reason: "qualified" }, position: column(0, 6) },
  ],
  edges: chain("trigger", "add_score", "is_qualified", "mark_qualified", "crm_qualified", "notify_sales", "done"),
};
