import { Injectable } from "@nestjs/common";
import type { EmailRequest, EmailVariant } from "@cascade/contracts";
import { DataSource } from "typeorm";
import { pickVariant } from "../sending/variant-picker.js";
import { abConfig, type AbConfig } from "./ab-config.js";
import { AbExperimentsRepository } from "./ab-experiments.repository.js";
import { selectWinner, type VariantResult, type WinnerDecision } from "./winner-selection.js";

export interface AbTestReport {
  workflowId: string;
  nodeId: string;
  winner: string | null;
  decidedAt: string | null;
  decision: WinnerDecision | null;
  /** Statistical test of the automatic winner, stated for readers of the report. */
  test: string;
  variants: Array<VariantResult & { openRate: number; clickRate: number; conversionRate: number }>;
}

const TEST =
  "two-proportion z-test (pooled) on click rate = clicks/sent, winner when z > 1.96 (95 %, two-sided) against the runner-up, once every variant has auto_winner_after sends";

/** A/B tests of email steps: variant choice (the winner once decided), automatic winner, per-variant results. */
@Injectable()
export class AbTests {
  private readonly experiments = new AbExperimentsRepository();

  constructor(private readonly dataSource: DataSource) {}

  /** The variant this contact gets: the decided winner, else the weighted deterministic split. */
  async chooseVariant(
    workspaceId: string,
    request: EmailRequest,
  ): Promise<{ variant: EmailVariant | undefined; config: AbConfig | undefined }> {
    if (request.variants.length === 0) return { variant: undefined, config: undefined };
    const config = abConfig(request);
    if (config) {
      const state = await this.experiments.register(this.dataSource.manager, workspaceId, config);
      const winner = state.winnerVariantId
        ? request.variants.find((variant) => variant.variantId === state.winnerVariantId)
        : undefined;
      if (winner) return { variant: winner, config };
    }
    const experiment = `${request.workflowId}/${request.nodeId || request.templateId}`;
    return { variant: pickVariant(request.variants, experiment, request.contactId), config };
  }

  /** After a send: chooses the winner when the step asks for one and the data now supports it. */
  async afterSent(workspaceId: string, config: AbConfig | undefined, at: Date): Promise<string | undefined> {
    if (!config?.autoWinnerAfter) return undefined;
    const manager = this.dataSource.manager;
    const state = await this.experiments.state(manager, workspaceId, config.workflowId, config.nodeId);
    if (!state || state.winnerVariantId) return undefined;
    const decision = selectWinner(
      await this.experiments.results(manager, workspaceId, config.workflowId, config.nodeId),
      config.autoWinnerAfter,
    );
    if (!decision) return undefined;
    return (await this.experiments.decide(manager, workspaceId, config.workflowId, config.nodeId, decision, at))
      ? decision.winner
      : undefined;
  }

  async report(workspaceId: string, workflowId: string, nodeId: string): Promise<AbTestReport | undefined> {
    const manager = this.dataSource.manager;
    const state = await this.experiments.state(manager, workspaceId, workflowId, nodeId);
    const results = await this.experiments.results(manager, workspaceId, workflowId, nodeId);
    if (!state && results.length === 0) return undefined;
    const rate = (count: number, sent: number): number => (sent > 0 ? count / sent : 0);
    return {
      workflowId,
      nodeId,
      winner: state?.winnerVariantId ?? null,
      decidedAt: state?.decidedAt?.toISOString() ?? null,
      decision: state?.decision ?? null,
      test: TEST,
      variants: results.map((result) => ({
        ...result,
        openRate: rate(result.opens, result.sent),
        clickRate: rate(result.clicks, result.sent),
        conversionRate: rate(result.conversions, result.sent),
      })),
    };
  }

  recordConversion(workspaceId: string, contactId: string, eventName: string, at: Date): Promise<number> {
    return this.experiments.recordConversion(this.dataSource.manager, workspaceId, contactId, eventName, at);
  }
}
