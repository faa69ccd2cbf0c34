import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv.js";
import { MlError } from "./errors.js";

describe("parseCsv", () => {
  it("handles quotes, embedded commas, quotes and newlines, BOM and CRLF", () => {
    const table = parseCsv('\uFEFFid,name,note\r\n1,"Smith, Jane","said ""hi""\nthen left"\r\n2,Bob,\r\n');
    expect(table.header).toEqual(["id", "name", "note"]);
    expect(table.rows).toEqual([
      ["1", "Smith, Jane", 'said "hi"\nthen left'],
      ["2", "Bob", ""],
    ]);
  });

  it("skips blank lines", () => {
    expect(parseCsv("a,b\n1,2\n\n3,4\n").rows).toHaveLength(2);
  });

  it("rejects a row with the wrong number of fields, naming the line", () => {
    expect(() => parseCsv("a,b\n1,2\n3\n")).toThrow(/CSV could not be parsed.*line 3/);
  });

  it("rejects an unterminated quote", () => {
    expect(() => parseCsv('a,b\n1,"open\n')).toThrow(MlError);
  });

  it("rejects empty input, duplicate and empty header names", () => {
    expect(() => parseCsv("")).toThrow(/empty/);
    expect(() => parseCsv("a,b\n")).toThrow(/no data rows/);
    expect(() => parseCsv("a,a\n1,2\n")).toThrow(/"a" appears twice/);
    expect(() => parseCsv("a,\n1,2\n")).toThrow(/column 2 has an empty name/);
  });
});
