import { BadRequestException, Controller, Get, Inject, Query, UseGuards } from "@nestjs/common";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { z } from "zod";
import { extractHashtags } from "../publishing/post-constraints.js";
import { SocialAdminKeyGuard } from "./social-admin-key.guard.js";
import { SocialInsightsRepository, type Advocate, type HashtagSuggestion } from "./social-insights.repository.js";

const advocatesQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });
const hashtagsQuery = z.object({
  text: z.string().max(65_000).default(""),
  limit: z.coerce.number().int().min(1).max(50).default(5),
});

/** GET /api/social/advocates and /api/social/hashtag-suggestions?text=<draft> (admin key). */
@Controller("api/social")
@UseGuards(SocialAdminKeyGuard)
export class SocialInsightsController {
  private readonly insights = new SocialInsightsRepository();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
  ) {}

  @Get("advocates")
  async advocates(@Query() query: unknown): Promise<{ advocates: Advocate[] }> {
    const { limit } = parse(advocatesQuery, query);
    return { advocates: await this.insights.advocates(this.dataSource.manager, this.workspace.id, limit) };
  }

  @Get("hashtag-suggestions")
  async hashtags(@Query() query: unknown): Promise<{ suggestions: HashtagSuggestion[] }> {
    const { text, limit } = parse(hashtagsQuery, query);
    return {
      suggestions: await this.insights.suggestHashtags(
        this.dataSource.manager,
        this.workspace.id,
        extractHashtags(text),
        limit,
      ),
    };
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new BadRequestException(`${issue?.path.join(".") || "query"}: ${issue?.message ?? "invalid"}`);
}
