import { parse } from "csv-parse/sync";
import { MlError } from "./errors.js";

/** A parsed CSV: the header and the data rows, every row as long as the header. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * Parses CSV text (RFC 4180: quoted fields, embedded commas, quotes and newlines, BOM, CRLF).
 * The first record is the header. Blank lines are skipped. Every record must have as many
 * fields as the header, and header names must be unique and non-empty.
 */
export function parseCsv(text: string): CsvTable {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MlError("CSV_PARSE", `CSV could not be parsed: ${reason}`, undefined, { cause: error });
  }
  const [rawHeader, ...rows] = records;
  if (rawHeader === undefined) throw new MlError("EMPTY_DATASET", "CSV is empty: no header row");
  const header = rawHeader.map((name) => name.trim());
  const seen = new Set<string>();
  header.forEach((name, index) => {
    if (name === "") throw new MlError("CSV_PARSE", `CSV header: column ${index + 1} has an empty name`);
    if (seen.has(name)) throw new MlError("CSV_PARSE", `CSV header: column "${name}" appears twice`, name);
    seen.add(name);
  });
  if (rows.length === 0) throw new MlError("EMPTY_DATASET", "CSV has a header but no data rows");
  return { header, rows };
}
