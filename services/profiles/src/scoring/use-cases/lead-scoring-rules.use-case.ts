import { Injectable } from "@nestjs/common";
import { DataSource } from "typeorm";
import type { LeadScoringRule } from "../lead-score.js";
import { LeadScoringRulesRepository } from "../lead-scoring-rules.repository.js";

export interface LeadScoringRuleSet {
  rules: LeadScoringRule[];
  /** True while the workspace uses the built-in defaults. */
  isDefault: boolean;
}

/** Reads a workspace's lead-scoring rules. */
@Injectable()
export class GetLeadScoringRulesUseCase {
  private readonly rules = new LeadScoringRulesRepository();

  constructor(private readonly dataSource: DataSource) {}

  execute(workspaceId: string): Promise<LeadScoringRuleSet> {
    return this.rules.rulesOf(this.dataSource.manager, workspaceId);
  }
}

/** Replaces a workspace's lead-scoring rules; they apply to events processed from now on. */
@Injectable()
export class ReplaceLeadScoringRulesUseCase {
  private readonly rules = new LeadScoringRulesRepository();

  constructor(private readonly dataSource: DataSource) {}

  async execute(workspaceId: string, rules: ReadonlyArray<LeadScoringRule>): Promise<LeadScoringRuleSet> {
    return this.dataSource.transaction(async (manager) => {
      await this.rules.replace(manager, workspaceId, rules);
      return this.rules.rulesOf(manager, workspaceId);
    });
  }
}
