import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  UseGuards,
} from "@nestjs/common";
import { DataSource } from "typeorm";
import { z } from "zod";
import { AdjustableClock, CLOCK, type Clock } from "../clock/clock.js";
import { RunExecutor } from "../runs/run-executor.js";
import { TimerPoller } from "../timers/timer-poller.js";
import { AdminKeyGuard } from "./admin-key.guard.js";

const advanceBodySchema = z.object({
  ms: z
    .number()
    .int()
    .min(0)
    .max(400 * 86_400_000),
});

/**
 * Operator endpoints: a run with its steps, and (only with ORCHESTRATOR_CLOCK=adjustable) moving the clock
 * forward so that process-level tests skip days; the due timers fire before the call returns.
 */
@Controller("orchestrator/admin")
@UseGuards(AdminKeyGuard)
export class AdminController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly poller: TimerPoller,
    private readonly executor: RunExecutor,
    private readonly dataSource: DataSource,
  ) {}

  @Post("clock/advance")
  @HttpCode(200)
  async advance(@Body() body: unknown): Promise<{ now: string; fired: number }> {
    if (!(this.clock instanceof AdjustableClock))
      throw new NotFoundException("the clock is not adjustable (ORCHESTRATOR_CLOCK=adjustable)");
    const parsed = advanceBodySchema.safeParse(body);
    if (!parsed.success)
      throw new BadRequestException(`ms: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`);
    this.clock.advance(parsed.data.ms);
    const fired = await this.poller.pollNow();
    return { now: this.clock.now().toISOString(), fired };
  }

  @Get("runs/:runId")
  async run(@Param("runId") runId: string): Promise<Record<string, unknown>> {
    if (!/^[0-9a-f-]{36}$/.test(runId)) throw new BadRequestException("runId: must be a UUID");
    const manager = this.dataSource.manager;
    const run = await this.executor.runs.find(manager, runId);
    if (!run) throw new NotFoundException(`run ${runId} not found`);
    const steps = (await manager.query(
      `SELECT step_key, node_id, node_kind, status, branch, started_at, finished_at, error, outcome FROM orchestrator.step_executions WHERE run_id = $1 ORDER BY id`,
      [runId],
    )) as unknown[];
    return { ...run, steps };
  }
}
