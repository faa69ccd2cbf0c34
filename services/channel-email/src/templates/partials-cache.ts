import { Injectable } from "@nestjs/common";
import { DataSource } from "typeorm";
import { TemplatesRepository } from "./templates.repository.js";

/** How long a replica reuses a workspace's partials; the replica that stores a new partial forgets its copy at once. */
const CACHE_TTL_MS = 10_000;

/** The latest partials of each workspace, cached so that a send does not read them every time. */
@Injectable()
export class PartialsCache {
  private readonly templates = new TemplatesRepository();
  private readonly cache = new Map<string, { partials: Record<string, string>; loadedAt: number }>();

  constructor(private readonly dataSource: DataSource) {}

  async get(workspaceId: string): Promise<Record<string, string>> {
    const cached = this.cache.get(workspaceId);
    if (cached && Date.now() - cached.loadedAt < CACHE_TTL_MS) return cached.partials;
    const partials = await this.templates.partials(this.dataSource.manager, workspaceId);
    this.cache.set(workspaceId, { partials, loadedAt: Date.now() });
    return partials;
  }

  invalidate(workspaceId: string): void {
    this.cache.delete(workspaceId);
  }
}
