/** Reads a query parameter as a single non-empty string. */
export function queryValue(query: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = query?.[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** A workspace id from a callback (custom variable, query parameter), checked like CASCADE_WORKSPACE. */
export function validWorkspace(value: string | undefined): string | undefined {
  return value !== undefined && /^[a-z0-9][a-z0-9_-]{0,62}$/.test(value) ? value : undefined;
}

/** The public URL a provider called (Twilio signs it): INGEST_PUBLIC_URL, else the request's own scheme and host. */
export function calledUrl(
  request: { protocol: string; host: string; url: string },
  publicUrl: string | undefined,
): string {
  const base = publicUrl ?? `${request.protocol}://${request.host}`;
  return `${base.replace(/\/+$/, "")}${request.url}`;
}

/** Form fields (urlencoded or multipart) as strings; repeated fields keep the first value. */
export function formFields(body: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!body || typeof body !== "object") return fields;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string") fields[name] = first;
    else if (typeof first === "number" || typeof first === "boolean") fields[name] = String(first);
  }
  return fields;
}
