import { Body, Controller, Get, Param, Post, UseFilters, UseGuards } from "@nestjs/common";
import {
  describeNodeKinds,
  TEMPLATES,
  type NodeKindMetadata,
  type TemplateCategory,
  type WorkflowDefinition,
} from "@cascade/workflow";
import { CurrentPrincipal } from "../auth/principal.decorator.js";
import { RequireRole, type Principal } from "../auth/roles.js";
import { StudioAuthGuard } from "../auth/studio-auth.guard.js";
import { parseRequest } from "../http/parse-request.js";
import { StudioErrorFilter } from "../http/studio-error.js";
import { CreateWorkflowUseCase } from "../workflows/use-cases/create-workflow.use-case.js";
import type { WorkflowView } from "../workflows/workflow-view.js";
import { instantiateTemplateBody } from "../workflows/workflows.schemas.js";

interface TemplateEntry {
  id: string;
  name: string;
  description: string;
  category: TemplateCategory;
  nodeCount: number;
  definition: WorkflowDefinition;
}

/** The shipped templates and the node-kind catalogue (palette and config schemas). */
@Controller("api")
@UseGuards(StudioAuthGuard)
@UseFilters(StudioErrorFilter)
export class CatalogController {
  constructor(private readonly createWorkflow: CreateWorkflowUseCase) {}

  @Get("templates")
  templates(): { templates: TemplateEntry[] } {
    return {
      templates: TEMPLATES.map((template) => ({
        id: template.id,
        name: template.name,
        description: template.description,
        category: template.category,
        nodeCount: template.definition.nodes.length,
        definition: template.definition,
      })),
    };
  }

  /** Creates a draft workflow from a template. */
  @Post("templates/:templateId/instantiate")
  @RequireRole("editor")
  instantiate(
    @CurrentPrincipal() principal: Principal,
    @Param("templateId") templateId: string,
    @Body() body: unknown,
  ): Promise<WorkflowView> {
    const request = parseRequest(instantiateTemplateBody, body);
    return this.createWorkflow.execute({ workspaceId: principal.workspaceId, templateId, ...request });
  }

  @Get("node-kinds")
  nodeKinds(): { nodeKinds: readonly NodeKindMetadata[] } {
    return { nodeKinds: describeNodeKinds() };
  }
}
