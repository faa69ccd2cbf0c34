import { Controller, Get, Inject, NotFoundException, Param, UseGuards } from "@nestjs/common";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";
import { AdminKeyGuard } from "../admin/admin-key.guard.js";
import { AbTests, type AbTestReport } from "./ab-tests.js";

/** GET /api/email/ab/:workflowId/:nodeId: per-variant sent, opens, clicks, conversions and the winner (admin key). */
@Controller("api/email/ab")
@UseGuards(AdminKeyGuard)
export class AbTestsController {
  constructor(
    private readonly abTests: AbTests,
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
  ) {}

  @Get(":workflowId/:nodeId")
  async results(@Param("workflowId") workflowId: string, @Param("nodeId") nodeId: string): Promise<AbTestReport> {
    const report = await this.abTests.report(this.workspace.id, workflowId, nodeId);
    if (!report) throw new NotFoundException(`no A/B test for workflow ${workflowId} node ${nodeId}`);
    return report;
  }
}
