/**
 * Kafka's default partitioner: murmur2 of the key's UTF-8 bytes, made positive, modulo the partition
 * count. The same function as kafkajs' DefaultPartitioner and the Java client, so a key lands on the
 * same partition number on Kafka and on the embedded bus.
 */
export function partitionForKey(key: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(`partitions must be an integer >= 1, got ${partitions}`);
  }
  return (murmur2(Buffer.from(key, "utf8")) & 0x7fffffff) % partitions;
}

const seed = 0x9747b28c;
const m = 0x5bd1e995;

/** 32-bit murmur2 as in org.apache.kafka.common.utils.Utils#murmur2 (signed result). */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (seed ^ length) | 0;
  const blocks = Math.floor(length / 4);
  for (let i = 0; i < blocks; i++) {
    const i4 = i * 4;
    let k =
      (data[i4] & 0xff) | ((data[i4 + 1] & 0xff) << 8) | ((data[i4 + 2] & 0xff) << 16) | ((data[i4 + 3] & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length & ~3;
  const rest = length % 4;
  if (rest >= 3) h ^= (data[tail + 2] & 0xff) << 16;
  if (rest >= 2) h ^= (data[tail + 1] & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[tail] & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}
