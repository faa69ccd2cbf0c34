import type { WorkflowDefinition } from "../definition/definition.js";
import { chain, column, edge, FIRST_NAME_OR_THERE } from "./template-helpers.js";

const LAUNCH_DATE = "contact.traits.product_launch_date";
const PRODUCT = "{{#if contact.traits.product_name}}{{contact.traits.product_name}}{{else}}our new product{{/if}}";

/**
 * A launch campaign keyed on each contact's `product_launch_date` trait: starts 14 days before launch,
 * posts to social networks while the pre-launch emails go out (teaser, behind the scenes, early access),
 * distributes launch content to the blog, newsletter and community on launch day, and follows up 3 days later.
 * Social posts and the blog/community publications are broadcasts, sent once per workflow version.
 */
export const productLaunchDripV1: WorkflowDefinition = {
  id: "product_launch_drip_v1",
  name: "Product launch drip",
  description:
    "product_launch_date trigger → social posts (X, LinkedIn, Facebook) and pre-launch emails (teaser, behind the scenes, early access) → launch-day distribution to blog, newsletter, community → post-launch follow-up.",
  version: 1,
  settings: { reentry: { policy: "once" }, allowConcurrentRuns: false },
  nodes: [
    {
      id: "trigger",
      kind: "time_based",
      label: "14 days before launch",
      config: { mode: "date_property", property: LAUNCH_DATE, offset: "-14d", at: "09:00", fallbackTimezone: "UTC" },
      position: column(0, 0),
    },
    {
      id: "pre_launch",
      kind: "parallel_execution",
      label: "Pre-launch",
      config: {
        branches: [
          { id: "social", label: "Social" },
          { id: "emails", label: "Emails" },
        ],
      },
      position: column(0, 1),
    },
    {
      id: "social_teaser",
      kind: "social_post",
      label: "Teaser post",
      config: {
        networks: ["x", "linkedin", "facebook"],
        text: "Something new is coming in two weeks. Follow along for a first look. #launch",
        linkUrl: "https://cascade.example/launch",
        once: "workflow",
      },
      position: column(-1, 2),
    },
    {
      id: "teaser_email",
      kind: "email_send",
      label: "Teaser",
      config: {
        subject: "Something new is coming",
        body: `<p>Hi ${FIRST_NAME_OR_THERE},</p>\n<p>In two weeks we launch ${PRODUCT}. Keep an eye on your inbox for a look behind the scenes.</p>`,
      },
      position: column(1, 2),
    },
    {
      id: "wait_7_days",
      kind: "delay",
      label: "Wait 7 days",
      config: { mode: "duration", duration: "7d" },
      position: column(1, 3),
    },
    {
      id: "behind_the_scenes_email",
      kind: "email_send",
      label: "Behind the scenes",
      config: {
        subject: `Behind the scenes: building ${PRODUCT}`,
        body: `<p>Hi ${FIRST_NAME_OR_THERE},</p>\n<p>Meet the team and the problems that shaped ${PRODUCT}.</p>`,
      },
      position: column(1, 4),
    },
    {
      id: "wait_5_days",
      kind: "delay",
      label: "Wait 5 days",
      config: { mode: "duration", duration: "5d" },
      position: column(1, 5),
    },
    {
      id: "early_access_email",
      kind: "email_send",
      label: "Early access",
      config: {
        subject: `${FIRST_NAME_OR_THERE}, your early access to ${PRODUCT}`,
        body: `<p>Hi ${FIRST_NAME_OR_THERE},</p>\n<p>You are on the list: try ${PRODUCT} two days before everyone else. <a href="https://cascade.example/early-access">Get early access</a>.</p>`,
      },
      position: column(1, 6),
    },
    {
      id: "pre_launch_done",
      kind: "merge_branches",
      label: "Pre-launch done",
      config: { parallelNodeId: "pre_launch", wait: "all" },
      position: column(0, 7),
    },
    {
      id: "wait_for_launch",
      kind: "delay",
      label: "Until launch day",
      config: { mode: "until_date", property: LAUNCH_DATE, offset: "0d", ifPast: "continue" },
      position: column(0, 8),
    },
    {
      id: "distribute",
      kind: "parallel_execution",
      label: "Launch-day distribution",
      config: { branches: [{ id: "blog" }, { id: "newsletter" }, { id: "community" }] },
      position: column(0, 9),
    },
    {
      id: "publish_blog",
      kind: "external_api",
      label: "Publish blog post",
      config: {
        connectionId: "cms",
        operation: "publish_post",
        input: { slug: { value: "launch" }, status: { value: "published" } },
        once: "workflow",
      },
      position: column(-1, 10),
    },
    {
      id: "newsletter_email",
      kind: "email_send",
      label: "Launch newsletter",
      config: {
        subject: `${PRODUCT} is live`,
        body: `<p>Hi ${FIRST_NAME_OR_THERE},</p>\n<p>${PRODUCT} is available today. <a href="https://cascade.example/launch">See what is new</a>.</p>`,
      },
      position: column(0, 10),
    },
    {
      id: "post_community",
      kind: "webhook_call",
      label: "Announce in community",
      config: {
        url: "https://community.example/api/announcements",
        method: "POST",
        payload: { title: { value: "We just launched!" }, link: { value: "https://cascade.example/launch" } },
        timeoutMs: 10_000,
        once: "workflow",
      },
      position: column(1, 10),
    },
    {
      id: "distributed",
      kind: "merge_branches",
      label: "Distributed",
      config: { parallelNodeId: "distribute", wait: "all", timeout: "1h" },
      position: column(0, 11),
    },
    {
      id: "wait_3_days",
      kind: "delay",
      label: "Wait 3 days",
      config: { mode: "duration", duration: "3d" },
      position: column(0, 12),
    },
    {
      id: "follow_up_email",
      kind: "email_send",
      label: "Post-launch follow-up",
      config: {
        subject: `How are you finding ${PRODUCT}?`,
        body: `<p>Hi ${FIRST_NAME_OR_THERE},</p>\n<p>It has been a few days since launch. Reply to this email with your feedback — we read every answer.</p>`,
      },
      position: column(0, 13),
    },
    {
      id: "done",
      kind: "exit",
      label: "Done",
      config: { reason: "launch_campaign_complete" },
      position: column(0, 14),
    },
  ],
  edges: [
    edge("trigger", "pre_launch"),
    edge("pre_launch", "social_teaser", "social"),
    edge("pre_launch", "teaser_email", "emails"),
    edge("social_teaser", "pre_launch_done"),
    ...chain(
      "teaser_email",
      "wait_7_days",
      "behind_the_scenes_email",
      "wait_5_days",
      "early_access_email",
      "pre_launch_done",
    ),
    ...chain("pre_launch_done", "wait_for_launch", "distribute"),
    edge("distribute", "publish_blog", "blog"),
    edge("distribute", "newsletter_email", "newsletter"),
    edge("distribute", "post_community", "community"),
    edge("publish_blog", "distributed", "success"),
    edge("publish_blog", "distributed", "error"),
    edge("newsletter_email", "distributed"),
    edge("post_community", "distributed", "success"),
    edge("post_community", "distributed", "error"),
    ...chain("distributed", "wait_3_days", "follow_up_email", "done"),
  ],
};
