import { describe, expect, it } from "vitest";
import {
  decidePrompt,
  DEFAULT_PROMPT_POLICY,
  isEngaged,
  newPromptState,
  parsePromptState,
  recordAnswer,
  recordEngagement,
  recordPageView,
  type NotificationPermissionState,
  type PromptPolicy,
  type PushPromptState,
} from "./prompt-gate.js";

const MINUTE = 60_000;
const DAY = 86_400_000;
const policy: PromptPolicy = { ...DEFAULT_PROMPT_POLICY, minEngagedVisits: 3 };

/** One page view at `at`, engaged or not; returns the state and the decision once it is (or is not) engaged. */
function view(
  state: PushPromptState,
  at: number,
  options: { engaged?: boolean; permission?: NotificationPermissionState; policy?: PromptPolicy } = {},
) {
  const used = options.policy ?? policy;
  let next = recordPageView(state, at, used);
  const onLoad = decidePrompt(
    next,
    { permission: options.permission ?? "default", supported: true, pageViewEngaged: false, now: at },
    used,
  );
  if (options.engaged ?? true) next = recordEngagement(next, at + 5_000);
  const decision = decidePrompt(
    next,
    { permission: options.permission ?? "default", supported: true, pageViewEngaged: options.engaged ?? true, now: at },
    used,
  );
  return { state: next, onLoad, decision };
}

/** `count` engaged visits, an hour apart (each a new visit), starting at `start`. */
function visits(count: number, start = 0, state = newPromptState()) {
  let current = { state, onLoad: decidePrompt(state, ctx(), policy), decision: decidePrompt(state, ctx(), policy) };
  for (let i = 0; i < count; i++) current = view(current.state, start + i * 60 * MINUTE);
  return current;
}

function ctx(permission: NotificationPermissionState = "default") {
  return { permission, supported: true, pageViewEngaged: true, now: 0 };
}

describe("push prompt gate", () => {
  it("never asks on the first page view, even when it is engaged and no visits are required", () => {
    const first = view(newPromptState(), 0, { policy: { ...policy, minEngagedVisits: 0 } });
    expect(first.decision).toEqual({ kind: "wait", reason: "first_page_view" });
    const second = view(first.state, 1_000, { policy: { ...policy, minEngagedVisits: 0 } });
    expect(second.decision).toEqual({ kind: "prompt" });
  });

  it("asks only once the Nth engaged visit is engaged, never on page load", () => {
    const two = visits(2);
    expect(two.state.engagedVisits).toBe(2);
    expect(two.decision).toEqual({ kind: "wait", reason: "not_enough_engaged_visits" });
    const third = view(two.state, 3 * 60 * MINUTE);
    expect(third.onLoad).toEqual({ kind: "wait", reason: "not_engaged" });
    expect(third.decision).toEqual({ kind: "prompt" });
  });

  it("counts a visit once however many engaged page views it has; 30 minutes of inactivity start a new one", () => {
    let state = newPromptState();
    for (let i = 0; i < 6; i++) state = view(state, i * 5 * MINUTE).state; // one visit, six page views
    expect(state).toMatchObject({ pageViews: 6, engagedVisits: 1 });
    expect(decidePrompt(state, ctx(), policy)).toEqual({ kind: "wait", reason: "not_enough_engaged_visits" });
    state = view(state, 25 * MINUTE + 31 * MINUTE).state; // a new visit after 31 idle minutes
    expect(state.engagedVisits).toBe(2);
  });

  it("does not count visits without engagement", () => {
    let state = newPromptState();
    for (let i = 0; i < 5; i++) state = view(state, i * 60 * MINUTE, { engaged: false }).state;
    expect(state).toMatchObject({ pageViews: 5, engagedVisits: 0 });
    const engaged = view(state, 6 * 60 * MINUTE);
    expect(engaged.state.engagedVisits).toBe(1);
    expect(engaged.decision).toEqual({ kind: "wait", reason: "not_enough_engaged_visits" });
  });

  it("remembers a browser denial and never asks again", () => {
    const asked = visits(3);
    expect(asked.decision.kind).toBe("prompt");
    const denied = recordAnswer(asked.state, "denied", 1);
    expect(visits(10, 10 * DAY, denied).decision).toEqual({ kind: "never", reason: "denied" });
    // and when the browser itself reports a denial (set in the browser's settings)
    expect(decidePrompt(newPromptState(), ctx("denied"), policy)).toEqual({ kind: "never", reason: "denied" });
  });

  it("does not nag after 'not now': never by default, or after the cooldown and N more engaged visits", () => {
    const declined = recordAnswer(visits(3).state, "declined", 3 * 60 * MINUTE);
    expect(visits(10, DAY, declined).decision).toEqual({ kind: "never", reason: "declined" });

    const lenient: PromptPolicy = { ...policy, askAgainAfterMs: 30 * DAY };
    const tooSoon = view(declined, 10 * DAY, { policy: lenient });
    expect(tooSoon.decision).toEqual({ kind: "wait", reason: "declined_recently" });
    // Visits during the cooldown count towards the N more: day 10 (1), day 31 (2), day 32 (3).
    let state = tooSoon.state;
    const results = [31, 32].map((day) => {
      const result = view(state, day * DAY, { policy: lenient });
      state = result.state;
      return result.decision;
    });
    expect(results).toEqual([{ kind: "wait", reason: "not_enough_engaged_visits" }, { kind: "prompt" }]);
  });

  it("treats a closed browser prompt (no answer) like 'not now'", () => {
    const dismissed = recordAnswer(visits(3).state, "dismissed", 1);
    expect(dismissed.declinedAt).toBe(1);
    expect(visits(5, DAY, dismissed).decision).toEqual({ kind: "never", reason: "declined" });
  });

  it("subscribes without asking when permission is already granted, and never asks where push is unsupported", () => {
    expect(decidePrompt(newPromptState(), ctx("granted"), policy)).toEqual({ kind: "subscribe" });
    expect(decidePrompt(visits(5).state, { ...ctx(), supported: false }, policy)).toEqual({
      kind: "never",
      reason: "unsupported",
    });
  });

  it("calls a page view engaged after the minimum visible time or any interaction", () => {
    expect(isEngaged({ visibleMs: 9_999, interacted: false }, 10_000)).toBe(false);
    expect(isEngaged({ visibleMs: 10_000, interacted: false }, 10_000)).toBe(true);
    expect(isEngaged({ visibleMs: 0, interacted: true }, 10_000)).toBe(true);
  });

  it("restores the stored state and starts afresh from unreadable storage", () => {
    const state = recordAnswer(visits(2).state, "declined", 42);
    expect(parsePromptState(JSON.stringify(state))).toEqual(state);
    expect(parsePromptState("{not json")).toEqual(newPromptState());
    expect(parsePromptState(JSON.stringify({ pageViews: -3, engagedVisits: "x" }))).toEqual(newPromptState());
  });
});
