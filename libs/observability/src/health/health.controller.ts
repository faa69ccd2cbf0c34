import { Controller, Get, Header, HttpException, HttpStatus } from "@nestjs/common";
import { ReadinessRegistry, type ReadinessReport } from "./readiness-registry.js";

export interface ReadinessBody {
  status: "ready" | "not ready";
  failing: string[];
  checks: ReadinessReport["checks"];
}

/** Kubernetes-style probes: /health/live (the process runs) and /health/ready (dependencies usable). */
@Controller("health")
export class HealthController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  @Get("live")
  @Header("Cache-Control", "no-store")
  live(): { status: "alive" } {
    return { status: "alive" };
  }

  /** 200 when every registered check passes, otherwise 503 with the failing checks named. */
  @Get("ready")
  @Header("Cache-Control", "no-store")
  async ready(): Promise<ReadinessBody> {
    const report = await this.readiness.evaluate();
    const body: ReadinessBody = {
      status: report.ready ? "ready" : "not ready",
      failing: report.failing,
      checks: report.checks,
    };
    if (!report.ready) throw new HttpException(body, HttpStatus.SERVICE_UNAVAILABLE);
    return body;
  }
}
