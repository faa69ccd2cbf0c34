import type { WorkflowDefinition } from "../definition/definition.js";
import { chain, column, edge, FIRST_NAME_OR_THERE } from "./template-helpers.js";

/**
 * A 14-day welcome series for new leads: a personalised welcome, an educational guide two days later,
 * a webinar invitation three days after that for engaged leads, then up to nine days to register.
 */
export const leadWelcomeV1: WorkflowDefinition = {
  id: "lead_welcome_v1",
  name: "Lead welcome series",
  description:
    "14 days: personalised welcome → 2 days → educational guide → 3 days → webinar invitation when engagement_score > 0.7.",
  version: 1,
  settings: { reentry: { policy: "once" }, allowConcurrentRuns: false, goal: "event.name == 'webinar_registered'" },
  nodes: [
    { id: "trigger", kind: "event", label: "Lead created", config: { event: "lead_created" }, position: column(0, 0) },
    {
      id: "welcome_email",
      kind: "email_send",
      label: "Welcome email",
      position: column(0, 1),
      config: {
        subject: `Welcome to Cascade, ${FIRST_NAME_OR_THERE}!`,
        preheader: "Here is what to expect over the next two weeks",
        body: [
          `<p>Hi ${FIRST_NAME_OR_THERE},</p>`,
          "<p>Thanks for your interest{{#if contact.traits.company}} from everyone at {{contact.traits.company}}{{/if}}.",
          "{{#if contact.traits.industry}} We work with many teams in {{contact.traits.industry}}, and over the next two weeks we will share what works for them.{{else}} Over the next two weeks we will share what works for teams like yours.{{/if}}</p>",
          "<p>— The Cascade team</p>",
        ].join("\n"),
      },
    },
    {
      id: "wait_2_days",
      kind: "delay",
      label: "Wait 2 days",
      config: { mode: "duration", duration: "2d" },
      position: column(0, 2),
    },
    {
      id: "guide_email",
      kind: "email_send",
      label: "Educational guide",
      position: column(0, 3),
      config: {
        subject:
          "Your guide to event-driven marketing{{#if contact.traits.industry}} in {{contact.traits.industry}}{{/if}}",
        body: `<p>Hi ${FIRST_NAME_OR_THERE},</p>\n<p>Our guide walks through the first five journeys worth automating: <a href="https://cascade.example/guide">read the guide</a>.</p>`,
      },
    },
    {
      id: "wait_3_days",
      kind: "delay",
      label: "Wait 3 days",
      config: { mode: "duration", duration: "3d" },
      position: column(0, 4),
    },
    {
      id: "is_engaged",
      kind: "if_condition",
      label: "Engaged?",
      config: { expression: "engagement_score > 0.7" },
      position: column(0, 5),
    },
    {
      id: "webinar_email",
      kind: "email_send",
      label: "Webinar invitation",
      position: column(-1, 6),
      config: {
        subject: `${FIRST_NAME_OR_THERE}, join our live webinar`,
        body: `<p>Hi ${FIRST_NAME_OR_THERE},</p>\n<p>You have been reading a lot — join our live session and bring your questions: <a href="https://cascade.example/webinar">save your seat</a>.</p>`,
      },
    },
    {
      id: "wait_for_registration",
      kind: "wait_for_event",
      label: "Registered within 9 days?",
      config: { event: "webinar_registered", timeout: "9d" },
      position: column(-1, 7),
    },
    {
      id: "registered",
      kind: "exit",
      label: "Registered",
      config: { reason: "webinar_registered" },
      position: column(-1, 8),
    },
    {
      id: "series_complete",
      kind: "exit",
      label: "Series complete",
      config: { reason: "welcome_series_complete" },
      position: column(1, 8),
    },
  ],
  edges: [
    ...chain("trigger", "welcome_email", "wait_2_days", "guide_email", "wait_3_days", "is_engaged"),
    edge("is_engaged", "webinar_email", "true"),
    edge("is_engaged", "series_complete", "false"),
    edge("webinar_email", "wait_for_registration"),
    edge("wait_for_registration", "registered", "event"),
    edge("wait_for_registration", "series_complete", "timeout"),
  ],
};
