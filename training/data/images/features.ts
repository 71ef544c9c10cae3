// Image features for template discovery. Style families differ mostly in palette, outline and
// shading, while faces within a style differ in layout (eyes, mouth), so the colour and gradient
// blocks carry more weight than the coarse layout block. Weights were picked by purity/NMI against
// the style families on the full emoji corpus (see docs/DATA.md).

export interface FeatureBlock { name: string; size: number; weight: number }

export const FEATURE_BLOCKS: readonly FeatureBlock[] = [
  { name: 'hue-saturation histogram', size: 24, weight: 1.0 },
  { name: 'value histogram', size: 8, weight: 1.0 },
  { name: 'gradient histogram', size: 8, weight: 1.0 },
  { name: 'coverage, dark share, mean saturation', size: 3, weight: 0.7 },
  { name: 'layout 8×8 luminance', size: 64, weight: 0.3 },
  // Each style paints with its own exact fills (Noto's yellow is not Twemoji's): the strongest cue.
  { name: 'fine colour histogram 8×8×8 (sqrt)', size: 512, weight: 2 },
];

export const FEATURE_LENGTH = FEATURE_BLOCKS.reduce((sum, b) => sum + b.size, 0);

function hsv(r: number, g: number, b: number): [number, number, number] {
  const max = Math.max(r, g, b), min = Math.min(r, g, b), delta = max - min;
  let hue = 0;
  if (delta > 0) {
    if (max === r) hue = ((g - b) / delta + 6) % 6;
    else if (max === g) hue = (b - r) / delta + 2;
    else hue = (r - g) / delta + 4;
  }
  return [hue / 6, max === 0 ? 0 : delta / max, max / 255];
}

/** Raw (unstandardised) features of a square RGB image on white. */
export function imageFeatures(rgb: Uint8Array, size: number): Float64Array {
  const out = new Float64Array(FEATURE_LENGTH);
  const hueSat = out.subarray(0, 24), value = out.subarray(24, 32), grad = out.subarray(32, 40);
  const scalars = out.subarray(40, 43), layout = out.subarray(43, 107);
  const fine = out.subarray(107, 619);
  let drawn = 0, dark = 0, satSum = 0;
  const luminance = new Float64Array(size * size);
  for (let p = 0; p < size * size; p++) {
    const r = rgb[p * 3], g = rgb[p * 3 + 1], b = rgb[p * 3 + 2];
    luminance[p] = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
    if (r > 245 && g > 245 && b > 245) continue;
    drawn++;
    fine[((r >> 5) << 6) | ((g >> 5) << 3) | (b >> 5)]++;
    const [h, s, v] = hsv(r, g, b);
    // 12 hue bins, split into muted and saturated so grey/monotone styles get their own bins.
    hueSat[Math.min(11, Math.floor(h * 12)) + (s > 0.35 ? 12 : 0)]++;
    value[Math.min(7, Math.floor(v * 8))]++;
    if (v < 0.2) dark++;
    satSum += s;
  }
  for (let y = 1; y < size - 1; y++) {
    for (let x = 1; x < size - 1; x++) {
      const p = y * size + x;
      if (luminance[p] > 0.98 && luminance[p + 1] > 0.98 && luminance[p + size] > 0.98) continue;
      const gx = luminance[p + 1] - luminance[p - 1], gy = luminance[p + size] - luminance[p - size];
      const magnitude = Math.hypot(gx, gy);
      // Log-spaced bins separate smooth gradients (3D, Fluent Color) from flat fills with hard edges.
      grad[Math.min(7, Math.max(0, Math.floor(Math.log2(magnitude * 256 + 1))))]++;
    }
  }
  const norm = (block: Float64Array): void => {
    const total = block.reduce((s, v) => s + v, 0) || 1;
    for (let i = 0; i < block.length; i++) block[i] /= total;
  };
  norm(hueSat); norm(value); norm(grad);
  scalars[0] = drawn / (size * size);
  scalars[1] = drawn ? dark / drawn : 0;
  scalars[2] = drawn ? satSum / drawn : 0;
  const cell = size / 8;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) layout[Math.floor(y / cell) * 8 + Math.floor(x / cell)] += luminance[y * size + x] / (cell * cell);
  }
  for (let i = 0; i < fine.length; i++) fine[i] = Math.sqrt(fine[i] / Math.max(1, drawn));
  return out;
}

/**
 * Centres every dimension and scales each block by its total spread, so a block counts by its
 * weight, not its size. Scaling whole blocks (not single dimensions) keeps histogram geometry:
 * per-dimension z-scores would blow up rare colour bins into noise.
 */
export function standardiseFeatures(rows: readonly Float64Array[]): Float64Array[] {
  const n = rows.length, d = FEATURE_LENGTH;
  const mean = new Float64Array(d), variance = new Float64Array(d);
  for (const row of rows) for (let j = 0; j < d; j++) mean[j] += row[j] / n;
  for (const row of rows) for (let j = 0; j < d; j++) variance[j] += (row[j] - mean[j]) ** 2 / n;
  const scale = new Float64Array(d);
  let offset = 0;
  for (const block of FEATURE_BLOCKS) {
    let total = 0;
    for (let j = offset; j < offset + block.size; j++) total += variance[j];
    const factor = total > 1e-12 ? block.weight / Math.sqrt(total) : 0;
    for (let j = offset; j < offset + block.size; j++) scale[j] = factor;
    offset += block.size;
  }
  return rows.map((row) => row.map((v, j) => (v - mean[j]) * scale[j]));
}
