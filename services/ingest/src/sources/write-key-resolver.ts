import { Inject, Injectable } from "@nestjs/common";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";
import { hashKey, sameSecret } from "./api-keys.js";
import { SourcesRepository } from "./sources.repository.js";

/** Who a write key belongs to. */
export interface ResolvedSource {
  workspaceId: string;
  sourceId: string;
  /** The source's own rate limit, when it has one; else the configured default applies. */
  rateLimitPerSecond: number | null;
}

/** The source of the default workspace's write key (CASCADE_WRITE_KEY); it is not stored in ingest.sources. */
export const DEFAULT_SOURCE_ID = "default";

const CACHE_TTL_MS = 10_000;
const CACHE_MAX_ENTRIES = 10_000;

/**
 * Resolves write keys to sources: the default workspace's key from configuration, other keys by their SHA-256 in
 * ingest.sources. Answers (including "unknown") are cached for 10 s per process, so a revoked or rotated key
 * stops working within 10 s; `forget` drops the cache at once for changes made through this process.
 */
@Injectable()
export class WriteKeyResolver {
  private readonly cache = new Map<string, { source: ResolvedSource | undefined; expiresAt: number }>();

  constructor(
    private readonly sources: SourcesRepository,
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
  ) {}

  async resolve(writeKey: string, now = Date.now()): Promise<ResolvedSource | undefined> {
    if (sameSecret(writeKey, this.workspace.writeKey)) {
      return { workspaceId: this.workspace.id, sourceId: DEFAULT_SOURCE_ID, rateLimitPerSecond: null };
    }
    const hash = hashKey(writeKey);
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > now) return cached.source;
    const found = await this.sources.findActiveByKeyHash(hash);
    const source = found
      ? { workspaceId: found.workspaceId, sourceId: found.id, rateLimitPerSecond: found.rateLimitPerSecond }
      : undefined;
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(hash, { source, expiresAt: now + CACHE_TTL_MS });
    return source;
  }

  forget(): void {
    this.cache.clear();
  }
}
