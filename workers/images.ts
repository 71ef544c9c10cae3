import { rgbaToPattern } from '../model/runtime/feeds';
import { WorkerError } from './errors';

/** Decodes image bytes and draws them onto a white size×size square (letterboxed). */
export async function decodeToSquare(bytes: ArrayBuffer, size: number): Promise<Uint8ClampedArray> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes]), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new WorkerError('InvalidImageError', 'That file is not an image this browser can read. Pick a PNG, JPEG or WebP picture.');
  }
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, size, size);
  const scale = Math.min(size / bitmap.width, size / bitmap.height);
  const w = Math.round(bitmap.width * scale);
  const h = Math.round(bitmap.height * scale);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, Math.floor((size - w) / 2), Math.floor((size - h) / 2), w, h);
  bitmap.close();
  return ctx.getImageData(0, 0, size, size).data;
}

/** Template patterns P_i from a PNG per size, exactly as the exporter wrote them. */
export async function patternsFromPngs(pngs: Record<number, ArrayBuffer>): Promise<Record<number, Float32Array>> {
  const out: Record<number, Float32Array> = {};
  for (const [size, bytes] of Object.entries(pngs)) out[Number(size)] = rgbaToPattern(await decodeToSquare(bytes, Number(size)), Number(size));
  return out;
}

/** Patterns for an uploaded image at each stage size, each drawn from the original (no compounded resampling). */
export async function patternsFromUpload(bytes: ArrayBuffer, sizes: number[]): Promise<Record<number, Float32Array>> {
  const out: Record<number, Float32Array> = {};
  for (const size of sizes) out[size] = rgbaToPattern(await decodeToSquare(bytes, size), size);
  return out;
}
