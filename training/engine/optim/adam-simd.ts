/**
 * Adam's update as one WebAssembly SIMD loop over a shared WebAssembly.Memory, with the
 * averaging of data-parallel shards fused in (two shards; one is the case w1 = 0):
 *   g = w0·g0 + w1·g1,  m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²,
 *   θ ← θ − s · m / (√v + e)      (s, e: the bias-corrected step and ε, see HostAdam)
 * in f32, four lanes at a time. The same update as tfjs ops is ~14 memory-bound passes (30–110 ms
 * per 1.9M-parameter phase here), and as a plain JS loop ~11 ns per element (21 ms); this loop
 * reads each input once.
 *
 * The module is written out byte by byte below (nothing to compile or fetch); its text form:
 *   (func (export "adam") (param $g0 $g1 $m $v $theta $n i32) (param $w0 $w1 $b1 $b2 $s $e f32)
 *     for (i = 0; i < 4n; i += 16) { …the update above on v128 lanes at byte offset i… })
 */
export interface AdamSimd {
  /** Byte offsets into the memory; `n` floats, a multiple of 4. */
  adam(g0: number, g1: number, m: number, v: number, theta: number, n: number, w0: number, w1: number, b1: number, b2: number, s: number, e: number): void;
}

export function instantiateAdamSimd(memory: WebAssembly.Memory, maximumPages: number): AdamSimd {
  const module = new WebAssembly.Module(adamModuleBytes(maximumPages));
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as AdamSimd;
}

/** A shared memory of at least `bytes`, importable by instantiateAdamSimd (pages of 64 KiB). */
export function createSharedMemory(bytes: number): { memory: WebAssembly.Memory; pages: number } {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  if (pages > 65536) {
    throw new RangeError(`The optimizer needs ${(bytes / 2 ** 30).toFixed(1)} GiB of WebAssembly memory, above wasm32's 4 GiB: train a model this large with tfjs-node, or on one core.`);
  }
  return { memory: new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }), pages };
}

// Locals: params 0–11 as in the signature, then i, end (i32), then G, M, V and the splatted
// scalars W0, W1, B1, C1 = 1 − β1, B2, C2 = 1 − β2, S, E (v128).
const [G0, G1, M, V, THETA, N, W0, W1, B1, B2, S, E] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const [I, END, LG, LM, LV, LW0, LW1, LB1, LC1, LB2, LC2, LS, LE] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];

const op = {
  get: (i: number) => [0x20, i],
  set: (i: number) => [0x21, i],
  tee: (i: number) => [0x22, i],
  i32const: (x: number) => [0x41, ...sleb(x)],
  f32one: [0x43, 0x00, 0x00, 0x80, 0x3f],
  f32sub: [0x93],
  i32add: [0x6a],
  i32mul: [0x6c],
  i32geU: [0x4f],
  simd: (code: number, ...imm: number[]) => [0xfd, ...uleb(code), ...imm],
};
const load = op.simd(0x00, 0, 0); // v128.load, align hint 1 byte, offset 0
const store = op.simd(0x0b, 0, 0); // v128.store
const splat = op.simd(0x13); // f32x4.splat
const [sqrt, add, sub, mul, div] = [0xe3, 0xe4, 0xe5, 0xe6, 0xe7].map((c) => op.simd(c));

/** v128 at byte offset base + i. */
const at = (base: number) => [...op.get(base), ...op.get(I), ...op.i32add];

function body(): number[] {
  const code = [
    ...op.get(N), ...op.i32const(4), ...op.i32mul, ...op.set(END),
    ...op.get(W0), ...splat, ...op.set(LW0),
    ...op.get(W1), ...splat, ...op.set(LW1),
    ...op.get(B1), ...splat, ...op.set(LB1),
    ...op.f32one, ...op.get(B1), ...op.f32sub, ...splat, ...op.set(LC1),
    ...op.get(B2), ...splat, ...op.set(LB2),
    ...op.f32one, ...op.get(B2), ...op.f32sub, ...splat, ...op.set(LC2),
    ...op.get(S), ...splat, ...op.set(LS),
    ...op.get(E), ...splat, ...op.set(LE),
    0x02, 0x40, // block
    0x03, 0x40, // loop
    ...op.get(I), ...op.get(END), ...op.i32geU, 0x0d, 1, // br_if out of the block when i ≥ end
    // G = w0·g0 + w1·g1
    ...at(G0), ...load, ...op.get(LW0), ...mul,
    ...at(G1), ...load, ...op.get(LW1), ...mul, ...add, ...op.set(LG),
    // m ← β1·m + (1 − β1)·G
    ...at(M), ...at(M), ...load, ...op.get(LB1), ...mul, ...op.get(LG), ...op.get(LC1), ...mul, ...add, ...op.tee(LM), ...store,
    // v ← β2·v + (1 − β2)·G²
    ...at(V), ...at(V), ...load, ...op.get(LB2), ...mul, ...op.get(LG), ...op.get(LG), ...mul, ...op.get(LC2), ...mul, ...add, ...op.tee(LV), ...store,
    // θ ← θ − s·m / (√v + e)
    ...at(THETA), ...at(THETA), ...load, ...op.get(LM), ...op.get(LS), ...mul, ...op.get(LV), ...sqrt, ...op.get(LE), ...add, ...div, ...sub, ...store,
    ...op.get(I), ...op.i32const(16), ...op.i32add, ...op.set(I),
    0x0c, 0, // br to the loop
    0x0b, // end loop
    0x0b, // end block
    0x0b, // end function
  ];
  const locals = [2, ...uleb(2), 0x7f, ...uleb(11), 0x7b]; // 2 groups: 2 × i32, 11 × v128
  return [...locals, ...code];
}

function adamModuleBytes(maximumPages: number): Uint8Array<ArrayBuffer> {
  const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
  const name = (s: string) => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
  const fn = body();
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
    ...section(1, [1, 0x60, 12, ...Array(6).fill(0x7f), ...Array(6).fill(0x7d), 0]), // type: (6 × i32, 6 × f32) → ()
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x03, ...uleb(maximumPages), ...uleb(maximumPages)]), // shared memory import
    ...section(3, [1, 0]), // one function of type 0
    ...section(7, [1, ...name('adam'), 0x00, 0]), // export it
    ...section(10, [1, ...uleb(fn.length), ...fn]),
  ]);
}

function uleb(x: number): number[] {
  const out: number[] = [];
  do {
    let byte = x & 0x7f;
    x >>>= 7;
    if (x !== 0) byte |= 0x80;
    out.push(byte);
  } while (x !== 0);
  return out;
}

function sleb(x: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = x & 0x7f;
    x >>= 7;
    const done = (x === 0 && (byte & 0x40) === 0) || (x === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}
