import { Inject, Injectable } from "@nestjs/common";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";
import { IngestError } from "../http/ingest-error.js";
import { displayPrefix, generateKey, hashKey, newId } from "./api-keys.js";
import { AdminKeysRepository, type AdminKey } from "./admin-keys.repository.js";
import { SourcesRepository, type Source } from "./sources.repository.js";
import { DEFAULT_SOURCE_ID, WriteKeyResolver } from "./write-key-resolver.js";

/** A source as the admin API shows it; `writeKey` only in the answer that created or rotated it. */
export interface SourceView extends Source {
  writeKey?: string;
}

export interface AdminKeyView extends AdminKey {
  key?: string;
}

/** Sources and their write keys: create, list, rotate, revoke. */
@Injectable()
export class ManageSourcesUseCase {
  constructor(
    private readonly sources: SourcesRepository,
    private readonly resolver: WriteKeyResolver,
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
  ) {}

  async create(workspaceId: string, name: string, rateLimitPerSecond: number | null): Promise<SourceView> {
    const writeKey = generateKey("wk");
    const source = await this.sources.insert({
      id: newId("src"),
      workspaceId,
      name,
      writeKeyHash: hashKey(writeKey),
      writeKeyPrefix: displayPrefix(writeKey),
      rateLimitPerSecond,
    });
    return { ...source, writeKey };
  }

  /** The workspace's sources; the default workspace also lists its configured default source. */
  async list(workspaceId: string): Promise<SourceView[]> {
    const stored = await this.sources.listActive(workspaceId);
    if (workspaceId !== this.workspace.id) return stored;
    const configured: SourceView = {
      id: DEFAULT_SOURCE_ID,
      workspaceId,
      name: "Default source (CASCADE_WRITE_KEY)",
      writeKeyPrefix: displayPrefix(this.workspace.writeKey),
      rateLimitPerSecond: null,
      createdAt: new Date(0),
    };
    return [configured, ...stored];
  }

  async rotate(workspaceId: string, sourceId: string): Promise<SourceView> {
    if (sourceId === DEFAULT_SOURCE_ID) throw configuredSourceError();
    const writeKey = generateKey("wk");
    const source = await this.sources.replaceKey(workspaceId, sourceId, hashKey(writeKey), displayPrefix(writeKey));
    if (!source) throw new IngestError("not_found", `no source ${sourceId} in workspace ${workspaceId}`);
    this.resolver.forget();
    return { ...source, writeKey };
  }

  async revoke(workspaceId: string, sourceId: string): Promise<void> {
    if (sourceId === DEFAULT_SOURCE_ID) throw configuredSourceError();
    if (!(await this.sources.revoke(workspaceId, sourceId))) {
      throw new IngestError("not_found", `no source ${sourceId} in workspace ${workspaceId}`);
    }
    this.resolver.forget();
  }
}

const configuredSourceError = (): IngestError =>
  IngestError.invalid([
    { field: "sourceId", message: "the default source's key is configured (CASCADE_WRITE_KEY), not managed here" },
  ]);

/** Per-workspace admin keys: create, list, revoke. */
@Injectable()
export class ManageAdminKeysUseCase {
  constructor(private readonly adminKeys: AdminKeysRepository) {}

  async create(workspaceId: string, name: string): Promise<AdminKeyView> {
    const key = generateKey("ak");
    const stored = await this.adminKeys.insert({
      id: newId("ak"),
      workspaceId,
      name,
      keyHash: hashKey(key),
      keyPrefix: displayPrefix(key),
    });
    return { ...stored, key };
  }

  list(workspaceId: string): Promise<AdminKey[]> {
    return this.adminKeys.listActive(workspaceId);
  }

  async revoke(workspaceId: string, keyId: string): Promise<void> {
    if (!(await this.adminKeys.revoke(workspaceId, keyId)))
      throw new IngestError("not_found", `no admin key ${keyId} in workspace ${workspaceId}`);
  }
}
