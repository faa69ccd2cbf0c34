import { SetMetadata } from "@nestjs/common";

/** Studio API roles, each including the ones before it. */
export const ROLES = ["viewer", "editor", "publisher"] as const;
export type Role = (typeof ROLES)[number];

/** viewer: read; editor: + edit drafts and validate; publisher: + publish, roll back, start runs, manage keys. */
export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

/** Who is calling: resolved from the API key by StudioAuthGuard. */
export interface Principal {
  workspaceId: string;
  role: Role;
  /** `default-admin` for the default workspace's admin key, else the stored key's id. */
  keyId: string;
  /** Shown as `published_by` / `requested_by`. */
  name: string;
  /** The installation's key (CASCADE_ADMIN_KEY): may create keys for any workspace. */
  installation: boolean;
}

export const REQUIRED_ROLE = "studio:required-role";
export const QUERY_KEY_ALLOWED = "studio:query-key-allowed";

/** The least role a route needs (default viewer). */
export const RequireRole = (role: Role): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLE, role);

/**
 * Lets a route take the key from `?access_token=` as well as the Authorization header: only for server-sent
 * event streams, because EventSource cannot set headers.
 */
export const AllowQueryKey = (): MethodDecorator => SetMetadata(QUERY_KEY_ALLOWED, true);
