import type { StageImage } from '../../../workers/api';
import { stageCanvas } from '../caption/draw-meme';

/** Draws `image` with one word's attention map over it (hot = where the word looks). */
export function drawHeatmap(canvas: HTMLCanvasElement, image: StageImage, map: Float32Array, mapSize: number): void {
  const ctx = canvas.getContext('2d')!;
  const display = canvas.width;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(stageCanvas(image), 0, 0, display, display);
  // Min-max per map: attention is a softmax over words, so a word's map can be nearly flat; the
  // contrast within the map is what shows where it looks. A flat map stays cold.
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of map) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const range = hi - lo > 1e-6 ? hi - lo : Infinity;
  const overlay = new ImageData(mapSize, mapSize);
  for (let i = 0; i < mapSize * mapSize; i++) {
    const v = (map[i] - lo) / range;
    const [r, g, b] = heatColor(v);
    overlay.data.set([r, g, b, Math.round(40 + 150 * v)], i * 4);
  }
  const c = document.createElement('canvas');
  c.width = c.height = mapSize;
  c.getContext('2d')!.putImageData(overlay, 0, 0);
  ctx.drawImage(c, 0, 0, display, display);
}

/** Blue → cyan → yellow → red, for v in [0, 1]. */
function heatColor(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, v));
  if (x < 1 / 3) return [0, Math.round(x * 3 * 255), 255];
  if (x < 2 / 3) return [Math.round((x - 1 / 3) * 3 * 255), 255, Math.round(255 - (x - 1 / 3) * 3 * 255)];
  return [255, Math.round(255 - (x - 2 / 3) * 3 * 255), 0];
}
