/**
 * The op interface the one model definition is written against.
 *
 * Two interpreters implement it: `EagerOps` (tfjs tensors: training, Node forward pass, tests)
 * and `GraphOps` (emits tfjs graph-model nodes: the exporter). A layer written once against
 * `Ops<T>` therefore trains, exports and is tested from the same code.
 *
 * Layout is NHWC throughout; conv weights are [kh, kw, cin, cout].
 * Every op listed here maps to a TF op that tfjs-converter understands and that
 * tfjs-backend-webgpu, -webgl and -wasm register.
 */
export type Padding = 'same' | 'valid';
export type DType = 'float32' | 'int32';

export interface Ops<T> {
  readonly kind: 'eager' | 'graph';
  /** Static shape; a graph input's batch dimension is -1. */
  shape(x: T): number[];

  conv2d(x: T, w: T, stride: number, pad: Padding): T; // [B,H,W,Ci] * [k,k,Ci,Co]
  biasAdd(x: T, b: T): T; // bias on the last axis
  /** Rank-2 MatMul or rank-3 batched MatMul. */
  matMul(a: T, b: T, transposeA?: boolean, transposeB?: boolean): T;

  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  maximum(a: T, b: T): T;
  neg(x: T): T;
  square(x: T): T;
  exp(x: T): T;
  rsqrt(x: T): T;
  /** Natural logarithm (added for MemeFace's DAMSM scores). */
  log(x: T): T;

  relu(x: T): T;
  leakyRelu(x: T, alpha: number): T;
  tanh(x: T): T;
  sigmoid(x: T): T;
  softmax(x: T): T; // over the last axis

  reshape(x: T, shape: number[]): T; // at most one -1
  transpose(x: T, perm: number[]): T;
  concat(xs: T[], axis: number): T;
  /** `size` entries of -1 mean "to the end". */
  slice(x: T, begin: number[], size: number[]): T;
  /** Rows of `table` picked by int32 `ids` (axis 0). */
  gather(table: T, ids: T): T;

  resizeNearest(x: T, size: [number, number]): T;
  resizeBilinear(x: T, size: [number, number]): T;
  avgPool(x: T, k: number, stride: number): T; // VALID padding

  mean(x: T, axes: number[], keepDims: boolean): T;
  sum(x: T, axes: number[], keepDims: boolean): T;

  scalar(v: number): T;
  /** Names an output in graph mode; a no-op when eager. */
  output(x: T, name: string): T;
}

export type Init =
  | { kind: 'zeros' }
  | { kind: 'ones' }
  | { kind: 'normal'; std: number }
  | { kind: 'uniform'; limit: number };

/** Named parameters; created on first use when training, looked up when exporting. */
export interface Params<T> {
  get(name: string, shape: number[], init: Init): T;
}
