import type { WorkflowDefinition } from "../definition/definition.js";
import { column, edge, FIRST_NAME_OR_THERE } from "./template-helpers.js";

/** The churn score (0..1, model `churn`) above which a customer enters the retention journey. */
export const CHURN_RISK_THRESHOLD = 0.7;

/**
 * What counts as coming back: a product-usage event. predictions counts `feature_used` as a product interaction
 * (services/predictions feature definitions); wait_for_event matches the tracked name exactly.
 */
export const CHURN_RETURN_EVENT = "feature_used";

/**
 * Wins back customers at risk of churning: when the churn score crosses 0.7 (edge-triggered, once per crossing),
 * a personal "we miss you" email; if they do not use the product within 5 days, an offer; if they are still
 * quiet 7 days later, customer success is told to reach out in person. The customer never sees the score;
 * only the internal notification carries it.
 */
export const churnRetentionV1: WorkflowDefinition = {
  id: "churn_retention_v1",
  name: "Churn retention",
  description: `Churn score crosses ${CHURN_RISK_THRESHOLD} → "we miss you" email → back within 5 days? done : 20% offer → back within 7 days? done : customer success reaches out.`,
  version: 1,
  settings: { reentry: { policy: "once_per_period", periodDays: 30 }, allowConcurrentRuns: false },
  nodes: [
    {
      id: "trigger",
      kind: "predictive",
      label: `Churn risk above ${CHURN_RISK_THRESHOLD}`,
      config: { model: "churn", threshold: CHURN_RISK_THRESHOLD, direction: "above" },
      position: column(0, 0),
    },
    {
      id: "we_miss_you_email",
      kind: "email_send",
      label: "We miss you",
      position: column(0, 1),
      config: {
        subject: `We miss you, ${FIRST_NAME_OR_THERE}`,
        preheader: "Here is what is new since your last visit",
        body: [
          `<p>Hi ${FIRST_NAME_OR_THERE},</p>`,
          "<p>It has been a little while since we last saw you{{#if contact.traits.company}} and the team at {{contact.traits.company}}{{/if}}, and we wanted to check in.</p>",
          '<p>We have shipped a lot since then. <a href="https://cascade.example/whats-new">See what is new</a>, or just reply to this email: a real person reads every answer and can help you get back on track.</p>',
          "<p>— The Cascade team</p>",
        ].join("\n"),
      },
    },
    {
      id: "wait_for_return",
      kind: "wait_for_event",
      label: "Back within 5 days?",
      config: { event: CHURN_RETURN_EVENT, timeout: "5d" },
      position: column(0, 2),
    },
    {
      id: "came_back",
      kind: "exit",
      label: "Came back",
      config: { reason: "came_back" },
      position: column(-1, 3),
    },
    {
      id: "offer_email",
      kind: "email_send",
      label: "Come-back offer",
      position: column(1, 3),
      config: {
        subject: `${FIRST_NAME_OR_THERE}, 20% off to pick up where you left off`,
        preheader: "Your offer is valid for 14 days",
        body: [
          `<p>Hi ${FIRST_NAME_OR_THERE},</p>`,
          "<p>We would love to have you back. Use the code <strong>COMEBACK20</strong> for 20% off your next three months — it is valid for 14 days.</p>",
          '<p><a href="https://cascade.example/account/billing?code=COMEBACK20">Redeem your offer</a></p>',
          "<p>— The Cascade team</p>",
        ].join("\n"),
      },
    },
    {
      id: "wait_after_offer",
      kind: "wait_for_event",
      label: "Back within 7 days?",
      config: { event: CHURN_RETURN_EVENT, timeout: "7d" },
      position: column(1, 4),
    },
    {
      id: "came_back_after_offer",
      kind: "exit",
      label: "Came back after the offer",
      config: { reason: "came_back_after_offer" },
      position: column(0, 5),
    },
    {
      id: "notify_success",
      kind: "notification_send",
      label: "Tell customer success",
      config: {
        channel: "email",
        team: "success",
        title:
          "At-risk customer: {{#if contact.traits.company}}{{contact.traits.company}}{{else}}{{contact.email}}{{/if}}",
        message:
          "{{#if contact.traits.first_name}}{{contact.traits.first_name}} {{contact.traits.last_name}}{{else}}{{contact.email}}{{/if}} has a churn score of {{prediction.churn}} and has not used the product since our win-back email and 20% offer 12 days ago. Please reach out in person.",
      },
      position: column(2, 5),
    },
    {
      id: "handed_to_success",
      kind: "exit",
      label: "Handed to customer success",
      config: { reason: "handed_to_success" },
      position: column(2, 6),
    },
  ],
  edges: [
    edge("trigger", "we_miss_you_email"),
    edge("we_miss_you_email", "wait_for_return"),
    edge("wait_for_return", "came_back", "event"),
    edge("wait_for_return", "offer_email", "timeout"),
    edge("offer_email", "wait_after_offer"),
    edge("wait_after_offer", "came_back_after_offer", "event"),
    edge("wait_after_offer", "notify_success", "timeout"),
    edge("notify_success", "handed_to_success"),
  ],
};
