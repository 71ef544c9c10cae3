import type { DType, Init, Ops, Padding, Params } from './types';

/**
 * Graph interpreter: running the model code with these ops records TF-style nodes that
 * `serializeGraphModel` writes as a tfjs `graph-model` (model.json + weights).
 * Shapes are inferred statically so that layers can ask `ops.shape(x)` as they do when eager.
 */
export interface GraphTensor {
  readonly node: string;
  readonly shape: number[]; // -1 = unknown (batch)
  readonly dtype: DType;
}

export interface GraphNode {
  name: string;
  op: string;
  input: string[];
  attr: Record<string, unknown>;
}

export interface GraphConst {
  name: string;
  shape: number[];
  dtype: DType;
  values: Float32Array | Int32Array;
  /** A trained parameter (named by the model), which an export may quantise; otherwise a number the model code wrote. */
  parameter: boolean;
}

export class GraphShapeError extends Error {
  override name = 'GraphShapeError';
}

const T_FLOAT = { type: 'DT_FLOAT' };
const dtypeAttr = (d: DType) => ({ type: d === 'float32' ? 'DT_FLOAT' : 'DT_INT32' });
/** Base64 of an ASCII attribute string ("SAME" → "U0FNRQ=="), without DOM or node: APIs. */
export function b64(s: string): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < s.length; i += 3) {
    const [a, b, c] = [s.charCodeAt(i), s.charCodeAt(i + 1), s.charCodeAt(i + 2)];
    const n = (a << 16) | ((b || 0) << 8) | (c || 0);
    out += abc[(n >> 18) & 63] + abc[(n >> 12) & 63];
    out += i + 1 < s.length ? abc[(n >> 6) & 63] : '=';
    out += i + 2 < s.length ? abc[n & 63] : '=';
  }
  return out;
}
const intList = (xs: number[]) => ({ list: { i: xs.map(String) } });

export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly consts: GraphConst[] = [];
  readonly inputs: GraphTensor[] = [];
  readonly outputs: GraphTensor[] = [];
  private counter = 0;
  private scopeStack: string[] = [];

  private uniqueName(op: string): string {
    const scope = this.scopeStack.length ? this.scopeStack.join('/') + '/' : '';
    return `${scope}${op}_${this.counter++}`;
  }

  withScope<R>(scope: string, fn: () => R): R {
    this.scopeStack.push(scope);
    try {
      return fn();
    } finally {
      this.scopeStack.pop();
    }
  }

  placeholder(name: string, shape: number[], dtype: DType = 'float32'): GraphTensor {
    this.nodes.push({
      name,
      op: 'Placeholder',
      input: [],
      attr: { dtype: dtypeAttr(dtype), shape: { shape: { dim: shape.map((s) => ({ size: String(s) })) } } },
    });
    const t = { node: name, shape, dtype };
    this.inputs.push(t);
    return t;
  }

  constant(values: Float32Array | Int32Array, shape: number[], dtype: DType, name?: string): GraphTensor {
    const nodeName = name ?? this.uniqueName('Const');
    this.nodes.push({ name: nodeName, op: 'Const', input: [], attr: { dtype: dtypeAttr(dtype), value: { tensor: { dtype: dtypeAttr(dtype).type, tensorShape: {} } } } });
    this.consts.push({ name: nodeName, shape, dtype, values, parameter: name !== undefined });
    return { node: nodeName, shape, dtype };
  }

  intConst(xs: number[]): GraphTensor {
    return this.constant(Int32Array.from(xs), [xs.length], 'int32');
  }

  op(op: string, inputs: GraphTensor[], shape: number[], attr: Record<string, unknown> = {}, dtype: DType = 'float32'): GraphTensor {
    const name = this.uniqueName(op);
    this.nodes.push({ name, op, input: inputs.map((t) => t.node), attr });
    return { node: name, shape, dtype };
  }

  markOutput(x: GraphTensor, name: string): GraphTensor {
    this.nodes.push({ name, op: 'Identity', input: [x.node], attr: { T: dtypeAttr(x.dtype) } });
    const t = { node: name, shape: x.shape, dtype: x.dtype };
    this.outputs.push(t);
    return t;
  }
}

/** Broadcast two static shapes (numpy rules); -1 stays unknown. */
export function broadcastShapes(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da === 1) out.push(db);
    else if (db === 1) out.push(da);
    else if (da === -1 || db === -1) out.push(da === -1 ? db : da);
    else if (da === db) out.push(da);
    else throw new GraphShapeError(`Cannot broadcast [${a}] with [${b}]`);
  }
  return out;
}

function convOut(size: number, k: number, stride: number, pad: Padding): number {
  if (size < 0) return -1;
  return pad === 'same' ? Math.ceil(size / stride) : Math.floor((size - k) / stride) + 1;
}

function reshapeShape(inShape: number[], target: number[]): number[] {
  const known = inShape.every((d) => d >= 0);
  if (!known) return target.slice();
  const total = inShape.reduce((a, b) => a * b, 1);
  const rest = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  return target.map((d) => (d === -1 ? total / rest : d));
}

export function createGraphOps(g: GraphBuilder): Ops<GraphTensor> {
  const unary = (op: string) => (x: GraphTensor) => g.op(op, [x], x.shape, { T: T_FLOAT });
  const binary = (op: string) => (a: GraphTensor, b: GraphTensor) =>
    g.op(op, [a, b], broadcastShapes(a.shape, b.shape), { T: T_FLOAT });
  const reduce = (op: string) => (x: GraphTensor, axes: number[], keepDims: boolean) => {
    const ax = axes.map((a) => (a < 0 ? a + x.shape.length : a));
    const shape = keepDims ? x.shape.map((d, i) => (ax.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !ax.includes(i));
    return g.op(op, [x, g.intConst(ax)], shape, { T: T_FLOAT, keep_dims: { b: keepDims }, Tidx: { type: 'DT_INT32' } });
  };
  const resize = (op: string) => (x: GraphTensor, size: [number, number]) =>
    g.op(op, [x, g.intConst(size)], [x.shape[0], size[0], size[1], x.shape[3]], {
      T: T_FLOAT,
      align_corners: { b: false },
      half_pixel_centers: { b: false },
    });

  return {
    kind: 'graph',
    shape: (x) => x.shape.slice(),
    conv2d: (x, w, stride, pad) => {
      const [b, h, wd] = x.shape;
      const [kh, kw, , co] = w.shape;
      return g.op('Conv2D', [x, w], [b, convOut(h, kh, stride, pad), convOut(wd, kw, stride, pad), co], {
        T: T_FLOAT,
        strides: intList([1, stride, stride, 1]),
        padding: { s: b64(pad.toUpperCase()) },
        data_format: { s: b64('NHWC') },
        dilations: intList([1, 1, 1, 1]),
      });
    },
    biasAdd: (x, b) => g.op('BiasAdd', [x, b], x.shape, { T: T_FLOAT, data_format: { s: b64('NHWC') } }),
    matMul: (a, b, ta = false, tb = false) => {
      const r = a.shape.length;
      const m = ta ? a.shape[r - 1] : a.shape[r - 2];
      const n = tb ? b.shape[r - 2] : b.shape[r - 1];
      if (r === 2) return g.op('MatMul', [a, b], [m, n], { T: T_FLOAT, transpose_a: { b: ta }, transpose_b: { b: tb } });
      return g.op('BatchMatMulV2', [a, b], [...a.shape.slice(0, r - 2), m, n], { T: T_FLOAT, adj_x: { b: ta }, adj_y: { b: tb } });
    },
    add: binary('AddV2'),
    sub: binary('Sub'),
    mul: binary('Mul'),
    div: binary('RealDiv'),
    maximum: binary('Maximum'),
    neg: unary('Neg'),
    square: unary('Square'),
    exp: unary('Exp'),
    rsqrt: unary('Rsqrt'),
    log: unary('Log'),
    relu: unary('Relu'),
    leakyRelu: (x, alpha) => g.op('LeakyRelu', [x], x.shape, { T: T_FLOAT, alpha: { f: alpha } }),
    tanh: unary('Tanh'),
    sigmoid: unary('Sigmoid'),
    softmax: unary('Softmax'),
    reshape: (x, shape) => g.op('Reshape', [x, g.intConst(shape)], reshapeShape(x.shape, shape), { T: T_FLOAT, Tshape: { type: 'DT_INT32' } }, x.dtype),
    transpose: (x, perm) => g.op('Transpose', [x, g.intConst(perm)], perm.map((p) => x.shape[p]), { T: T_FLOAT, Tperm: { type: 'DT_INT32' } }),
    concat: (xs, axis) => {
      const ax = axis < 0 ? axis + xs[0].shape.length : axis;
      const shape = xs[0].shape.slice();
      shape[ax] = xs.some((x) => x.shape[ax] < 0) ? -1 : xs.reduce((s, x) => s + x.shape[ax], 0);
      return g.op('ConcatV2', [...xs, g.intConst([ax])], shape, { T: T_FLOAT, N: { i: String(xs.length) }, Tidx: { type: 'DT_INT32' } });
    },
    slice: (x, begin, size) => {
      const shape = size.map((s, i) => (s === -1 ? (x.shape[i] < 0 ? -1 : x.shape[i] - begin[i]) : s));
      return g.op('Slice', [x, g.intConst(begin), g.intConst(size)], shape, { T: T_FLOAT, Index: { type: 'DT_INT32' } });
    },
    gather: (table, ids) =>
      g.op('GatherV2', [table, ids, g.intConst([0])], [...ids.shape, ...table.shape.slice(1)], {
        Tparams: T_FLOAT,
        Tindices: { type: 'DT_INT32' },
        Taxis: { type: 'DT_INT32' },
        batch_dims: { i: '0' },
      }),
    resizeNearest: resize('ResizeNearestNeighbor'),
    resizeBilinear: resize('ResizeBilinear'),
    avgPool: (x, k, stride) =>
      g.op('AvgPool', [x], [x.shape[0], convOut(x.shape[1], k, stride, 'valid'), convOut(x.shape[2], k, stride, 'valid'), x.shape[3]], {
        T: T_FLOAT,
        ksize: intList([1, k, k, 1]),
        strides: intList([1, stride, stride, 1]),
        padding: { s: b64('VALID') },
        data_format: { s: b64('NHWC') },
      }),
    mean: reduce('Mean'),
    sum: reduce('Sum'),
    scalar: (v) => g.constant(Float32Array.of(v), [], 'float32'),
    output: (x, name) => g.markOutput(x, name),
  };
}

/** Parameters for export: each becomes a named Const node holding the trained values. */
export class GraphParams implements Params<GraphTensor> {
  private readonly emitted = new Map<string, GraphTensor>();
  constructor(
    private readonly g: GraphBuilder,
    private readonly weights: Map<string, { shape: number[]; values: Float32Array }>,
  ) {}

  get(name: string, shape: number[], _init: Init): GraphTensor {
    const done = this.emitted.get(name);
    if (done) return done;
    const w = this.weights.get(name);
    if (!w) throw new GraphShapeError(`Weight "${name}" is missing from the checkpoint: it was trained with another model config.`);
    if (w.shape.join(',') !== shape.join(',')) {
      throw new GraphShapeError(`Weight "${name}" has shape [${w.shape}] but the model asks for [${shape}].`);
    }
    const t = this.g.constant(w.values, shape, 'float32', name);
    this.emitted.set(name, t);
    return t;
  }
}
