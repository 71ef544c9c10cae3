import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import sharp from 'sharp';

/** Decoded RGB image in [-1, 1], HWC float32 (the model's pixel convention). */
export interface FloatImage {
  width: number;
  height: number;
  data: Float32Array; // [H, W, 3]
}

export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
}

/** Reads an opaque PNG into [-1, 1] floats; alpha is composited on white. */
export function decodePngFile(path: string): FloatImage {
  let png: PNG;
  try {
    png = PNG.sync.read(readFileSync(path));
  } catch (e) {
    throw new ImageDecodeError(`Cannot read ${path} as PNG (${(e as Error).message}). Rebuild it or remove it.`);
  }
  return rgbaToFloat(png.data, png.width, png.height);
}

export function rgbaToFloat(rgba: Uint8Array | Buffer, width: number, height: number): FloatImage {
  const data = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const a = rgba[i * 4 + 3] / 255;
    for (let c = 0; c < 3; c++) {
      const v = rgba[i * 4 + c] * a + 255 * (1 - a);
      data[i * 3 + c] = v / 127.5 - 1;
    }
  }
  return { width, height, data };
}

/** [-1, 1] HWC floats → RGBA bytes, rounding as the worker does. */
export function floatToRgba(data: Float32Array | ArrayLike<number>, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) out[i * 4 + c] = Math.max(0, Math.min(255, Math.round((data[i * 3 + c] + 1) * 127.5)));
    out[i * 4 + 3] = 255;
  }
  return out;
}

export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba);
  return PNG.sync.write(png);
}

/** Rasterises an SVG string to an opaque size×size PNG on white. */
export async function svgToPng(svg: string, size: number): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: 300 })
    .resize(size, size, { fit: 'contain', background: '#ffffff' })
    .flatten({ background: '#ffffff' })
    .png()
    .toBuffer();
}

/** Downscales an opaque PNG with area averaging (sharp's default lanczos is fine for faces). */
export async function resizePng(png: Buffer, size: number): Promise<Buffer> {
  return sharp(png).resize(size, size, { fit: 'fill' }).flatten({ background: '#ffffff' }).removeAlpha().ensureAlpha().png().toBuffer();
}
