import type { StageImage } from '../../../workers/api';
import { CAPTION_FONT_STACK } from './caption-font';

export const MEME_SIZE = 256;
const MARGIN = 10;
const MAX_LINES = 2;
const MAX_FONT_PX = 34;
const MIN_FONT_PX = 14;

/** The model's RGBA pixels as a canvas the size of the stage (64, 128 or 256). */
export function stageCanvas(image: StageImage): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = image.width;
  c.height = image.height;
  c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(image.rgba), image.width, image.height), 0, 0);
  return c;
}

/**
 * Draws the meme: the generated face scaled to 256×256, then the caption in white with a black
 * outline at the bottom, shrunk and wrapped (at most two lines) until it fits.
 * Pure function of its inputs and the loaded font, so a share link redraws the same pixels.
 */
export function drawMeme(canvas: HTMLCanvasElement, image: StageImage, caption: string): void {
  canvas.width = MEME_SIZE;
  canvas.height = MEME_SIZE;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, MEME_SIZE, MEME_SIZE);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(stageCanvas(image), 0, 0, MEME_SIZE, MEME_SIZE);
  if (caption.trim()) drawCaption(ctx, caption.trim());
}

function drawCaption(ctx: CanvasRenderingContext2D, caption: string): void {
  const width = MEME_SIZE - 2 * MARGIN;
  let size = MAX_FONT_PX;
  let lines = [caption];
  for (; size >= MIN_FONT_PX; size -= 2) {
    ctx.font = `${size}px ${CAPTION_FONT_STACK}`;
    lines = wrap(ctx, caption, width);
    if (lines.length <= MAX_LINES) break;
  }
  if (lines.length > MAX_LINES) lines = [...lines.slice(0, MAX_LINES - 1), ellipsize(ctx, lines.slice(MAX_LINES - 1).join(''), width)];
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.lineJoin = 'round';
  ctx.lineWidth = Math.max(3, size / 6);
  ctx.strokeStyle = '#000000';
  ctx.fillStyle = '#ffffff';
  const lineHeight = size * 1.15;
  lines.forEach((line, i) => {
    const y = MEME_SIZE - MARGIN - (lines.length - 1 - i) * lineHeight;
    ctx.strokeText(line, MEME_SIZE / 2, y);
    ctx.fillText(line, MEME_SIZE / 2, y);
  });
}

/**
 * Greedy wrap: CJK breaks between any two characters, Latin words stay whole unless a word alone
 * is wider than the line (then it breaks by character too).
 */
function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const units = text.match(/[A-Za-z0-9'’_-]+|\s+|./gsu) ?? [];
  const lines: string[] = [];
  let line = '';
  const fits = (s: string) => ctx.measureText(s).width <= width;
  for (const unit of units) {
    if (fits(line + unit)) {
      line += unit;
      continue;
    }
    if (line.trim()) lines.push(line.trimEnd());
    line = '';
    for (const ch of Array.from(unit.trimStart())) {
      if (line && !fits(line + ch)) {
        lines.push(line);
        line = '';
      }
      line += ch;
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

function ellipsize(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  const chars = Array.from(text);
  while (chars.length && ctx.measureText(chars.join('') + '…').width > width) chars.pop();
  return chars.join('') + '…';
}
