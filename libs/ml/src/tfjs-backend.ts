import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as TensorFlow from "@tensorflow/tfjs";

/** The TensorFlow.js namespace, as every Cascade module that runs TF.js uses it. */
export type Tf = typeof TensorFlow;

/** Which backend TF.js runs on and why (the wasm backend, or cpu when wasm could not load). */
export interface TensorFlowBackend {
  readonly tf: Tf;
  readonly backend: "wasm" | "cpu";
  /** Why wasm was not used, when it was not. */
  readonly fallbackReason?: string;
}

let loading: Promise<TensorFlowBackend> | undefined;

/**
 * The ONE place that chooses TensorFlow.js's backend. Cascade runs @tensorflow/tfjs on the wasm backend
 * (tfjs-node cannot be installed: its install script downloads libtensorflow). The .wasm binaries are read
 * from the installed @tensorflow/tfjs-backend-wasm package's dist directory (a file path, so it works
 * offline). If the wasm backend cannot start, TF.js falls back to its pure-JS cpu backend and
 * `fallbackReason` says why. TF.js is imported lazily, so importing @cascade/ml does not load it.
 */
export function loadTensorFlow(): Promise<TensorFlowBackend> {
  loading ??= initialise();
  return loading;
}

async function initialise(): Promise<TensorFlowBackend> {
  const tf = await import("@tensorflow/tfjs");
  try {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const require = createRequire(import.meta.url);
    const packageDir = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json"));
    wasm.setWasmPaths(`${join(packageDir, "dist")}/`);
    if (!(await tf.setBackend("wasm"))) throw new Error("tf.setBackend('wasm') returned false");
    await tf.ready();
    return { tf, backend: "wasm" };
  } catch (error) {
    const fallbackReason = error instanceof Error ? error.message : String(error);
    await tf.setBackend("cpu");
    await tf.ready();
    return { tf, backend: "cpu", fallbackReason };
  }
}
