/**
 * How ReplicatedTrainer lays out its one shared WebAssembly.Memory. Every region holds the whole
 * flat parameter layout (so float i is the same parameter everywhere), rounded up to 4 floats so
 * that regions start 16-byte aligned:
 *   params                    the parameters, written on request (readParams)
 *   grads[w][k % 2]           worker w's shard gradients of step k, written before the step's
 *                             barrier; two buffers, so that a worker writing step k + 1's
 *                             gradients never overwrites step k's while a slower replica still
 *                             averages them
 *   theta[w], m[w], v[w]      worker w's own parameters and Adam moments
 *   scratch[w]                with more than two workers: the other shards' weighted sum
 * The trainer and each replica compute the same offsets from (totalSize, workers).
 */
export interface ReplicaMemoryLayout {
  /** Bytes the memory must have. */
  bytes: number;
  params: number;
  grads: [number, number][];
  theta: number[];
  m: number[];
  v: number[];
  scratch: number[] | null;
}

export function replicaMemoryLayout(totalSize: number, workers: number): ReplicaMemoryLayout {
  const regionBytes = Math.ceil(totalSize / 4) * 16;
  let next = 0;
  const region = () => (next++) * regionBytes;
  const perWorker = () => Array.from({ length: workers }, region);
  const params = region();
  const grads = Array.from({ length: workers }, (): [number, number] => [region(), region()]);
  const theta = perWorker();
  const m = perWorker();
  const v = perWorker();
  const scratch = workers > 2 ? perWorker() : null;
  return { bytes: next * regionBytes, params, grads, theta, m, v, scratch };
}
