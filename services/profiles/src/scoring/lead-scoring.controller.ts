import { Body, Controller, Get, Inject, Put, UseGuards } from "@nestjs/common";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";
import { AdminKeyGuard } from "../admin/admin-key.guard.js";
import { parseBody } from "../admin/parse-body.js";
import { leadScoringRulesBody } from "./lead-scoring.schemas.js";
import {
  GetLeadScoringRulesUseCase,
  ReplaceLeadScoringRulesUseCase,
  type LeadScoringRuleSet,
} from "./use-cases/lead-scoring-rules.use-case.js";

/** The workspace's lead-scoring rules: `{ rules: [{ event, points }] }`. */
@Controller("api/lead-scoring/rules")
@UseGuards(AdminKeyGuard)
export class LeadScoringController {
  constructor(
    private readonly getRules: GetLeadScoringRulesUseCase,
    private readonly replaceRules: ReplaceLeadScoringRulesUseCase,
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
  ) {}

  @Get()
  get(): Promise<LeadScoringRuleSet> {
    return this.getRules.execute(this.workspace.id);
  }

  @Put()
  put(@Body() body: unknown): Promise<LeadScoringRuleSet> {
    return this.replaceRules.execute(this.workspace.id, parseBody(leadScoringRulesBody, body).rules);
  }
}
