/**
 * When to ask for web push permission: never on the first page view, only once the visitor has come back and
 * engaged on at least `minEngagedVisits` visits, never again after the browser permission was denied, and
 * after a "not now" only when the site allows asking again. DOM-free: the browser layer reports page views,
 * engagement and answers, and persists the state (localStorage `<prefix>push`).
 *
 * Definitions:
 * - a page view is engaged when the page was visible for `minEngagedMs` (default 10 s) or the visitor
 *   interacted with it (click, key, touch, scroll), whichever comes first;
 * - a visit is a run of page views with gaps shorter than `visitTimeoutMs` (default 30 minutes, the usual
 *   analytics session); an engaged visit is a visit with at least one engaged page view, counted once.
 */
export interface PushPromptState {
  /** Page views the push module has seen on this browser. */
  pageViews: number;
  /** Visits with at least one engaged page view. */
  engagedVisits: number;
  /** Last page view or engagement (ms since the epoch); a longer gap than visitTimeoutMs starts a new visit. */
  lastActivityAt: number;
  /** The current visit has been counted in engagedVisits. */
  visitEngaged: boolean;
  /** "Not now" in the site's soft prompt, or the browser prompt closed without an answer. */
  declinedAt?: number;
  /** engagedVisits when declined: asking again needs minEngagedVisits more engaged visits. */
  engagedVisitsAtDecline?: number;
  /** The browser permission was denied: never asked again (browsers do not show the prompt again either). */
  deniedAt?: number;
}

export interface PromptPolicy {
  /** Engaged visits before the prompt (default 3). */
  minEngagedVisits: number;
  /** Inactivity that ends a visit (default 30 minutes). */
  visitTimeoutMs: number;
  /** After a "not now": ask again this long later (and after minEngagedVisits more engaged visits); null never. */
  askAgainAfterMs: number | null;
}

export const DEFAULT_PROMPT_POLICY: PromptPolicy = {
  minEngagedVisits: 3,
  visitTimeoutMs: 30 * 60_000,
  askAgainAfterMs: null,
};

/** Visible time that makes a page view engaged without any interaction. */
export const DEFAULT_MIN_ENGAGED_MS = 10_000;

/** Notification.permission. */
export type NotificationPermissionState = "default" | "granted" | "denied";

export type PromptDecision =
  /** Permission is already granted: subscribe (or refresh the subscription) without asking. */
  | { kind: "subscribe" }
  /** Ask now. */
  | { kind: "prompt" }
  /** Not yet; a later engaged page view may ask. */
  | { kind: "wait"; reason: "first_page_view" | "not_engaged" | "not_enough_engaged_visits" | "declined_recently" }
  /** Never on this browser. */
  | { kind: "never"; reason: "denied" | "declined" | "unsupported" };

export function newPromptState(): PushPromptState {
  return { pageViews: 0, engagedVisits: 0, lastActivityAt: 0, visitEngaged: false };
}

/** A page view starts: counted, and a new visit when the last activity is older than the visit timeout. */
export function recordPageView(state: PushPromptState, now: number, policy: PromptPolicy): PushPromptState {
  const newVisit = state.pageViews === 0 || now - state.lastActivityAt > policy.visitTimeoutMs;
  return {
    ...state,
    pageViews: state.pageViews + 1,
    lastActivityAt: now,
    visitEngaged: newVisit ? false : state.visitEngaged,
  };
}

/** The current page view became engaged: the visit counts once. */
export function recordEngagement(state: PushPromptState, now: number): PushPromptState {
  return {
    ...state,
    lastActivityAt: now,
    engagedVisits: state.visitEngaged ? state.engagedVisits : state.engagedVisits + 1,
    visitEngaged: true,
  };
}

/** Whether a page view is engaged: visible long enough, or interacted with. */
export function isEngaged(page: { visibleMs: number; interacted: boolean }, minEngagedMs: number): boolean {
  return page.interacted || page.visibleMs >= minEngagedMs;
}

/**
 * The visitor's answer: `declined` ("not now" in the soft prompt), `dismissed` (the browser prompt closed
 * without an answer; treated like "not now"), `denied` (browser permission denied, final).
 */
export function recordAnswer(
  state: PushPromptState,
  answer: "declined" | "dismissed" | "denied",
  now: number,
): PushPromptState {
  if (answer === "denied") return { ...state, deniedAt: now };
  return { ...state, declinedAt: now, engagedVisitsAtDecline: state.engagedVisits };
}

/**
 * Whether to ask on this page view now. `pageViewEngaged` is false until the current page view is engaged,
 * so the prompt never appears on load.
 */
export function decidePrompt(
  state: PushPromptState,
  context: { permission: NotificationPermissionState; supported: boolean; pageViewEngaged: boolean; now: number },
  policy: PromptPolicy,
): PromptDecision {
  if (!context.supported) return { kind: "never", reason: "unsupported" };
  if (context.permission === "granted") return { kind: "subscribe" };
  if (context.permission === "denied" || state.deniedAt !== undefined) return { kind: "never", reason: "denied" };
  let engagedSince = state.engagedVisits;
  if (state.declinedAt !== undefined) {
    if (policy.askAgainAfterMs === null) return { kind: "never", reason: "declined" };
    if (context.now - state.declinedAt < policy.askAgainAfterMs) return { kind: "wait", reason: "declined_recently" };
    engagedSince -= state.engagedVisitsAtDecline ?? 0;
  }
  if (state.pageViews <= 1) return { kind: "wait", reason: "first_page_view" };
  if (!context.pageViewEngaged) return { kind: "wait", reason: "not_engaged" };
  if (engagedSince < policy.minEngagedVisits) return { kind: "wait", reason: "not_enough_engaged_visits" };
  return { kind: "prompt" };
}

/** The stored state, or a new one when missing or unreadable. */
export function parsePromptState(raw: string | null): PushPromptState {
  if (!raw) return newPromptState();
  try {
    const value = JSON.parse(raw) as Partial<PushPromptState>;
    const count = (n: unknown): number => (typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : 0);
    const time = (n: unknown): number | undefined => (typeof n === "number" && Number.isFinite(n) ? n : undefined);
    const state: PushPromptState = {
      pageViews: count(value.pageViews),
      engagedVisits: count(value.engagedVisits),
      lastActivityAt: count(value.lastActivityAt),
      visitEngaged: value.visitEngaged === true,
    };
    const declinedAt = time(value.declinedAt);
    const deniedAt = time(value.deniedAt);
    if (declinedAt !== undefined) {
      state.declinedAt = declinedAt;
      state.engagedVisitsAtDecline = count(value.engagedVisitsAtDecline);
    }
    if (deniedAt !== undefined) state.deniedAt = deniedAt;
    return state;
  } catch {
    return newPromptState();
  }
}
