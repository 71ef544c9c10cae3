// Rasterises one drawing to the corpus's square images: trimmed to the drawn outline (alpha and
// non-white pixels), scaled so its longer side fills the square minus a fixed margin, centred and
// flattened on white. Per-image trimming is what makes OpenMoji's padded SVGs comparable to the
// edge-to-edge Noto ones.
import sharp from 'sharp';

export interface RasterOptions {
  imageSize: number;
  derivedSizes: readonly number[];
  marginFraction: number;
}

export interface RasterResult {
  /** PNG bytes per side length (imageSize and each derived size). */
  pngBySize: Map<number, Buffer>;
  /** imageSize × imageSize RGB (white background), for feature extraction and band checks. */
  rgb: Uint8Array;
}

/** Content threshold: alpha above this and colour not near-white counts as drawn. */
const ALPHA_MIN = 16;
const WHITE_MIN = 245;

export interface Box { left: number; top: number; width: number; height: number }

/** Bounding box of drawn pixels in RGBA data; null when the image is blank. */
export function contentBox(rgba: Uint8Array | Buffer, width: number, height: number): Box | null {
  let minX = width, minY = height, maxX = -1, maxY = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const drawn = rgba[i + 3] > ALPHA_MIN && (rgba[i] < WHITE_MIN || rgba[i + 1] < WHITE_MIN || rgba[i + 2] < WHITE_MIN);
      if (!drawn) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return maxX < 0 ? null : { left: minX, top: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

export class BlankImageError extends Error {
  override name = 'BlankImageError';
}

/** Decodes any sharp-readable input (SVG rendered at ~2× the target size) into RGBA. */
async function decodeRgba(input: Buffer, format: 'svg' | 'bitmap', targetSize: number): Promise<{ data: Buffer; width: number; height: number }> {
  let pipeline: ReturnType<typeof sharp>;
  if (format === 'svg') {
    const meta = await sharp(input).metadata();
    const longest = Math.max(meta.width ?? 16, meta.height ?? 16);
    pipeline = sharp(input, { density: Math.min(2400, (72 * targetSize * 2) / longest) });
  } else {
    pipeline = sharp(input, { failOn: 'error' });
  }
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Trims, fits, flattens; throws BlankImageError when nothing is drawn. */
export async function rasterise(input: Buffer, format: 'svg' | 'bitmap', options: RasterOptions): Promise<RasterResult> {
  const { imageSize, derivedSizes, marginFraction } = options;
  const { data, width, height } = await decodeRgba(input, format, imageSize);
  const box = contentBox(data, width, height);
  if (!box) throw new BlankImageError('The image has no drawn pixels.');
  const inner = Math.max(1, Math.round(imageSize * (1 - 2 * marginFraction)));
  const fitted = await sharp(data, { raw: { width, height, channels: 4 } })
    .extract(box)
    .resize(inner, inner, { fit: 'contain', background: { r: 255, g: 255, b: 255, alpha: 0 }, kernel: 'lanczos3' })
    .png()
    .toBuffer();
  const pad = Math.floor((imageSize - inner) / 2);
  const square = sharp(fitted)
    .extend({ top: pad, left: pad, bottom: imageSize - inner - pad, right: imageSize - inner - pad, background: { r: 255, g: 255, b: 255, alpha: 0 } })
    .flatten({ background: '#ffffff' });
  const { data: rgb } = await square.clone().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const main = await sharp(rgb, { raw: { width: imageSize, height: imageSize, channels: 3 } }).png().toBuffer();
  const pngBySize = new Map<number, Buffer>([[imageSize, main]]);
  for (const size of derivedSizes) {
    pngBySize.set(size, await sharp(main).resize(size, size, { kernel: 'lanczos3' }).png().toBuffer());
  }
  return { pngBySize, rgb: new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.length) };
}
