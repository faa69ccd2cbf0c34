import { MlError } from "../errors.js";
import type { ContentInterestModel } from "./matrix-factorization.js";

/** A content-interest model as JSON: float arrays as base64 of their little-endian bytes (compact, exact). */
export interface ContentInterestModelJson {
  readonly algorithm: "weighted_mf";
  readonly factors: number;
  readonly contactIds: readonly string[];
  readonly itemIds: readonly string[];
  readonly contactFactors: string;
  readonly itemFactors: string;
  readonly itemBias: string;
  readonly globalBias: number;
  readonly backend: string;
}

const encode = (array: Float32Array): string =>
  Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString("base64");

function decode(text: string, expectedLength: number, field: string): Float32Array {
  const bytes = Buffer.from(text, "base64");
  if (bytes.byteLength !== expectedLength * 4)
    throw new MlError(
      "MODEL_FILE_INVALID",
      `content interest model: ${field} has ${bytes.byteLength / 4} values, expected ${expectedLength}`,
    );
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

export function contentInterestModelToJson(model: ContentInterestModel): ContentInterestModelJson {
  return {
    ...model,
    contactFactors: encode(model.contactFactors),
    itemFactors: encode(model.itemFactors),
    itemBias: encode(model.itemBias),
  };
}

export function contentInterestModelFromJson(json: ContentInterestModelJson): ContentInterestModel {
  if (json.algorithm !== "weighted_mf")
    throw new MlError(
      "MODEL_FILE_INVALID",
      `content interest model: algorithm ${JSON.stringify(json.algorithm)} is unknown`,
    );
  const k = json.factors;
  return {
    ...json,
    contactFactors: decode(json.contactFactors, json.contactIds.length * k, "contactFactors"),
    itemFactors: decode(json.itemFactors, json.itemIds.length * k, "itemFactors"),
    itemBias: decode(json.itemBias, json.itemIds.length, "itemBias"),
  };
}
