import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { murmur2, partitionForKey } from "./partitioner.js";

// kafkajs' own murmur2 (behind Partitioners.DefaultPartitioner), as the reference.
const kafkajsMurmur2 = createRequire(import.meta.url)("kafkajs/src/producer/partitioners/default/murmur2.js") as (
  key: Buffer,
) => number;

describe("partitionForKey", () => {
  it("matches kafkajs' DefaultPartitioner hash for keys of every length mod 4, including non-ASCII", () => {
    const keys = [
      "",
      "a",
      "ab",
      "abc",
      "abcd",
      "ws-1:contact-42",
      "workspace-ä:контакт-7",
      "🙂🙂🙂",
      ...Array.from({ length: 200 }, (_, i) => `ws-${i % 7}:c-${i * 7919}`),
    ];
    for (const key of keys)
      expect(murmur2(Buffer.from(key, "utf8")), key).toBe(kafkajsMurmur2(Buffer.from(key, "utf8")));
  });

  it("matches the Java client for known keys", () => {
    // Values from org.apache.kafka.common.utils.UtilsTest#testMurmur2.
    expect(murmur2(Buffer.from("21", "utf8"))).toBe(-973932308);
    expect(murmur2(Buffer.from("foobar", "utf8"))).toBe(-790332482);
    expect(murmur2(Buffer.from("a-little-bit-long-string", "utf8"))).toBe(-985981536);
  });

  it("spreads keys over all partitions and rejects a bad partition count", () => {
    const used = new Set(Array.from({ length: 100 }, (_, i) => partitionForKey(`k${i}`, 4)));
    expect(used).toEqual(new Set([0, 1, 2, 3]));
    expect(() => partitionForKey("k", 0)).toThrow(/partitions must be an integer >= 1/);
  });
});
