/**
 * Training data behind a small interface, so that the real corpus (training/data, `npm run data`)
 * and small sets made on the fly (tests, the builtin emoji set) plug in the same way.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { PNG } from 'pngjs';
import { decodePngFile, rgbaToFloat, resizePng, svgToPng } from '../io/png';

/** One (image, caption) training pair; the image's template gives P_i. */
export interface TrainingPair {
  /** Image id; several pairs share an image when it has several captions. */
  imageId: string;
  template: string;
  caption: string;
  /** The expression shown (emoji codepoint, shared by every style): the label of the auxiliary classifier (gan.classWeight). */
  expression: string;
}

export interface TemplateInfo {
  id: string;
  style: string;
  name: { zh: string; en: string };
}

export interface TrainingData {
  /** Where the data came from, for the run record. */
  describe: string;
  pairs: TrainingPair[];
  templates: TemplateInfo[];
  /** The image at `size` as [S, S, 3] floats in [-1, 1]. */
  image(imageId: string, size: number): Float32Array;
  /** Template pattern P at `size`, [S, S, 3] in [-1, 1]. */
  pattern(templateId: string, size: number): Float32Array;
  /** Template as a 256 px PNG (the exporter ships it). */
  templatePng(templateId: string): Promise<Buffer>;
}

export class DataError extends Error {
  override name = 'DataError';
}

const require = createRequire(import.meta.url);

interface IconifySet {
  width?: number;
  height?: number;
  icons: Record<string, { body: string; width?: number; height?: number }>;
  aliases?: Record<string, { parent: string }>;
}

/** An iconify icon (aliases resolved) as an SVG string. */
export function emojiSvg(style: string, icon: string): string {
  const set = require(`@iconify-json/${style}/icons.json`) as IconifySet;
  const entry = set.icons[icon] ?? set.icons[set.aliases?.[icon]?.parent ?? ''];
  if (!entry) throw new DataError(`@iconify-json/${style} has no icon "${icon}".`);
  const w = entry.width ?? set.width ?? 16;
  const h = entry.height ?? set.height ?? 16;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="256" height="256">${entry.body}</svg>`;
}

/** The builtin set: face emoji with Chinese captions of our own. The neutral face is each style's template. */
export const BUILTIN_EXPRESSIONS: { icon: string; zh: string[] }[] = [
  { icon: 'flushed-face', zh: ['别说了我脸红了', '脸红了', '害羞'] },
  { icon: 'face-with-tears-of-joy', zh: ['笑死我了', '笑哭了', '哈哈哈哈'] },
  { icon: 'pouting-face', zh: ['气死我了', '生气', '愤怒'] },
  { icon: 'sleeping-face', zh: ['好困', '困了睡觉', '睡着了'] },
  { icon: 'loudly-crying-face', zh: ['呜呜呜太惨了', '大哭', '伤心'] },
  { icon: 'smiling-face-with-heart-eyes', zh: ['爱了爱了', '好喜欢', '心动'] },
  { icon: 'grinning-face', zh: ['开心', '好开心', '嘿嘿'] },
  { icon: 'face-screaming-in-fear', zh: ['吓死了', '好可怕', '尖叫'] },
  { icon: 'smiling-face-with-sunglasses', zh: ['我最酷', '墨镜', '帅'] },
  { icon: 'face-with-tongue', zh: ['略略略', '吐舌头', '调皮'] },
  { icon: 'winking-face', zh: ['你懂的', '眨眼', '嘻嘻'] },
  { icon: 'astonished-face', zh: ['震惊', '什么', '惊呆了'] },
  { icon: 'thinking-face', zh: ['让我想想', '思考', '嗯'] },
  { icon: 'pensive-face', zh: ['好失落', '唉', '难过'] },
  { icon: 'neutral-face', zh: ['无语', '面无表情', '呵呵'] },
];

const STYLE_NAMES: Record<string, { zh: string; en: string }> = {
  noto: { zh: 'Noto 表情', en: 'Noto' },
  twemoji: { zh: 'Twemoji 表情', en: 'Twemoji' },
  'fluent-emoji-flat': { zh: 'Fluent 扁平', en: 'Fluent Flat' },
  openmoji: { zh: 'OpenMoji 表情', en: 'OpenMoji' },
  emojione: { zh: 'EmojiOne 表情', en: 'EmojiOne' },
};

function decodePngBuffer(buf: Buffer): Float32Array {
  const png = PNG.sync.read(buf);
  return rgbaToFloat(png.data, png.width, png.height).data;
}

/**
 * Rasterises `expressions` (0 = all) of each style at `sizes`. Small and fast: for tests and
 * short runs before the corpus exists.
 */
export async function builtinEmojiData(styles: string[], expressions: number, sizes: number[]): Promise<TrainingData> {
  const exprs = expressions > 0 ? BUILTIN_EXPRESSIONS.slice(0, expressions) : BUILTIN_EXPRESSIONS;
  const images = new Map<string, Float32Array>();
  const pngs = new Map<string, Buffer>();
  const pairs: TrainingPair[] = [];
  for (const style of styles) {
    for (const icon of new Set([...exprs.map((e) => e.icon), 'neutral-face'])) {
      const png256 = await svgToPng(emojiSvg(style, icon), 256);
      pngs.set(`${style}/${icon}`, png256);
      for (const s of sizes) images.set(`${style}/${icon}@${s}`, decodePngBuffer(s === 256 ? png256 : await resizePng(png256, s)));
    }
    for (const e of exprs) for (const zh of e.zh) pairs.push({ imageId: `${style}/${e.icon}`, template: style, caption: zh, expression: e.icon });
  }
  const get = (key: string) => {
    const v = images.get(key);
    if (!v) throw new DataError(`No image ${key} in the builtin set (sizes ${sizes.join(', ')}).`);
    return v;
  };
  return {
    describe: `builtin emoji: ${styles.join(', ')} × ${exprs.length} expressions`,
    pairs,
    templates: styles.map((s) => ({ id: s, style: s, name: STYLE_NAMES[s] ?? { zh: s, en: s } })),
    image: (id, size) => get(`${id}@${size}`),
    pattern: (t, size) => get(`${t}/neutral-face@${size}`),
    templatePng: async (t) => pngs.get(`${t}/neutral-face`)!,
  };
}

/**
 * The real corpus (training/data/corpus.ts, issue 3), loaded lazily so this file type-checks and
 * runs before that module lands. Images are decoded on demand and cached up to `cacheBytes`.
 */
export async function corpusData(dir: string, cacheBytes = 1.5e9): Promise<TrainingData> {
  if (!existsSync(`${dir}/manifest.json`)) throw new DataError(`No corpus at ${dir}/manifest.json: run npm run data, or use "data.source": "builtin".`);
  const modPath = '../data/corpus';
  const mod = (await import(/* @vite-ignore */ modPath)) as {
    loadCorpus(dir: string): {
      records: { id: string; template: string; expression: string; split: string; zh: { text: string }[]; imagePaths: Record<string, string> }[];
      templates: { id: string; style: string; imagePaths: Record<string, string> }[];
    };
  };
  const corpus = mod.loadCorpus(dir);
  const records = new Map(corpus.records.map((r) => [r.id, r]));
  const templates = new Map(corpus.templates.map((t) => [t.id, t]));
  const cache = new Map<string, Float32Array>();
  let cached = 0;
  const load = (key: string, path: string | undefined) => {
    const hit = cache.get(key);
    if (hit) return hit;
    if (!path) throw new DataError(`The corpus has no image for ${key}; rebuild it with npm run data.`);
    const v = decodePngFile(path).data;
    if (cached + v.byteLength < cacheBytes) {
      cache.set(key, v);
      cached += v.byteLength;
    }
    return v;
  };
  const pairs = corpus.records.filter((r) => r.split === 'train').flatMap((r) => r.zh.map((c) => ({ imageId: r.id, template: r.template, caption: c.text, expression: r.expression })));
  return {
    describe: `corpus ${dir}`,
    pairs,
    templates: corpus.templates.map((t) => ({ id: t.id, style: t.style, name: STYLE_NAMES[t.style] ?? { zh: t.id, en: t.id } })),
    image: (id, size) => load(`r/${id}@${size}`, records.get(id)?.imagePaths[String(size)]),
    pattern: (t, size) => load(`t/${t}@${size}`, templates.get(t)?.imagePaths[String(size)]),
    templatePng: async (t) => {
      const info = templates.get(t);
      const path = info?.imagePaths['256'] ?? Object.values(info?.imagePaths ?? {}).pop();
      if (!path) throw new DataError(`The corpus has no pattern for template ${t}.`);
      const { readFileSync } = await import('node:fs');
      return resizePng(readFileSync(path), 256);
    },
  };
}
