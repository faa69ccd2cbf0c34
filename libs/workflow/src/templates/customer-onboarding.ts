import type { WorkflowDefinition } from "../definition/definition.js";
import { chain, column, edge, FIRST_NAME_OR_THERE } from "./template-helpers.js";

/** Engagement below this after the first week triggers the re-engagement email. */
export const ONBOARDING_ENGAGEMENT_THRESHOLD = 0.3;

/**
 * First week of a new customer: confirmation, getting-started guide, feature tour and a quick win,
 * then an engagement check on day 7 with a re-engagement email for customers who have gone quiet.
 */
export const customerOnboardingV1: WorkflowDefinition = {
  id: "customer_onboarding_v1",
  name: "Customer onboarding",
  description:
    "customer_signup → confirmation, getting-started guide, feature tour, quick-win setup → engagement check after 7 days → re-engagement when engagement is low.",
  version: 1,
  settings: { reentry: { policy: "once" }, allowConcurrentRuns: false },
  nodes: [
    {
      id: "trigger",
      kind: "event",
      label: "Customer signed up",
      config: { event: "customer_signup" },
      position: column(0, 0),
    },
    {
      id: "confirmation_email",
      kind: "email_send",
      label: "Confirmation",
      position: column(0, 1),
      config: {
        subject: "Your account is ready",
        body: `<p>Hi ${FIRST_NAME_OR_THERE},</p>\n<p>Your Cascade account{{#if contact.traits.company}} for {{contact.traits.company}}{{/if}} is ready. <a href="https://cascade.example/login">Sign in</a> to get started.</p>`,
      },
    },
    {
      id: "wait_1_day",
      kind: "delay",
      label: "Wait 1 day",
      config: { mode: "duration", duration: "1d" },
      position: column(0, 2),
    },
    {
      id: "getting_started_email",
      kind: "email_send",
      label: "Getting-started guide",
      position: column(0, 3),
      config: {
        subject: "Getting started in 10 minutes",
        body: `<p>Hi ${FIRST_NAME_OR_THERE},</p>\n<p>Three steps to your first journey: connect a source, import contacts, pick a template. <a href="https://cascade.example/docs/getting-started">Open the guide</a>.</p>`,
      },
    },
    {
      id: "wait_2_days",
      kind: "delay",
      label: "Wait 2 days",
      config: { mode: "duration", duration: "2d" },
      position: column(0, 4),
    },
    {
      id: "feature_tour_email",
      kind: "email_send",
      label: "Feature tour",
      position: column(0, 5),
      config: {
        subject: "A quick tour: builder, triggers and analytics",
        body: `<p>Hi ${FIRST_NAME_OR_THERE},</p>\n<p>Take the five-minute tour of the visual builder, real-time triggers and run analytics: <a href="https://cascade.example/tour">start the tour</a>.</p>`,
      },
    },
    {
      id: "wait_2_more_days",
      kind: "delay",
      label: "Wait 2 days",
      config: { mode: "duration", duration: "2d" },
      position: column(0, 6),
    },
    {
      id: "quick_win_email",
      kind: "email_send",
      label: "Quick-win setup",
      position: column(0, 7),
      config: {
        subject: "Your first quick win: a welcome journey",
        body: `<p>Hi ${FIRST_NAME_OR_THERE},</p>\n<p>Turn on the lead welcome template in one click and see results this week: <a href="https://cascade.example/templates/lead_welcome_v1">use the template</a>.</p>`,
      },
    },
    {
      id: "wait_until_day_7",
      kind: "delay",
      label: "Wait until day 7",
      config: { mode: "duration", duration: "2d" },
      position: column(0, 8),
    },
    {
      id: "engagement_check",
      kind: "if_condition",
      label: "Low engagement?",
      config: { expression: `coalesce(engagement_score, 0) < ${ONBOARDING_ENGAGEMENT_THRESHOLD}` },
      position: column(0, 9),
    },
    {
      id: "re_engagement_email",
      kind: "email_send",
      label: "Re-engagement",
      position: column(-1, 10),
      config: {
        subject: `Can we help, ${FIRST_NAME_OR_THERE}?`,
        body: `<p>Hi ${FIRST_NAME_OR_THERE},</p>\n<p>We noticed you have not had much time for Cascade yet. Book a free 20-minute setup call and we will build your first journey with you: <a href="https://cascade.example/onboarding-call">pick a time</a>.</p>`,
      },
    },
    {
      id: "re_engaged",
      kind: "exit",
      label: "Re-engagement sent",
      config: { reason: "re_engagement_sent" },
      position: column(-1, 11),
    },
    { id: "onboarded", kind: "exit", label: "Onboarded", config: { reason: "onboarded" }, position: column(1, 11) },
  ],
  edges: [
    ...chain(
      "trigger",
      "confirmation_email",
      "wait_1_day",
      "getting_started_email",
      "wait_2_days",
      "feature_tour_email",
      "wait_2_more_days",
      "quick_win_email",
      "wait_until_day_7",
      "engagement_check",
    ),
    edge("engagement_check", "re_engagement_email", "true"),
    edge("engagement_check", "onboarded", "false"),
    edge("re_engagement_email", "re_engaged"),
  ],
};
