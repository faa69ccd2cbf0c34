import type { WorkflowDefinition } from "../definition/definition.js";
import { churnRetentionV1 } from "./churn-retention.js";
import { customerOnboardingV1 } from "./customer-onboarding.js";
import { leadQualificationV1 } from "./lead-qualification.js";
import { leadWelcomeV1 } from "./lead-welcome.js";
import { productLaunchDripV1 } from "./product-launch-drip.js";

export type TemplateCategory = "lead_nurturing" | "lead_scoring" | "onboarding" | "campaign" | "retention";

/** A shipped template as listed in the studio's template gallery. */
export interface WorkflowTemplate {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly category: TemplateCategory;
  readonly definition: WorkflowDefinition;
}

function template(category: TemplateCategory, definition: WorkflowDefinition): WorkflowTemplate {
  return { id: definition.id, name: definition.name, description: definition.description ?? "", category, definition };
}

export const TEMPLATES: readonly WorkflowTemplate[] = [
  template("lead_nurturing", leadWelcomeV1),
  template("lead_scoring", leadQualificationV1),
  template("onboarding", customerOnboardingV1),
  template("campaign", productLaunchDripV1),
  template("retention", churnRetentionV1),
];

export function findTemplate(id: string): WorkflowTemplate | undefined {
  return TEMPLATES.find((entry) => entry.id === id);
}

export { churnRetentionV1, customerOnboardingV1, leadQualificationV1, leadWelcomeV1, productLaunchDripV1 };
export { CHURN_RETURN_EVENT, CHURN_RISK_THRESHOLD } from "./churn-retention.js";
export { ONBOARDING_ENGAGEMENT_THRESHOLD } from "./customer-onboarding.js";
