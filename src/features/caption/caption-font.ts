/**
 * The caption font: ZCOOL KuaiLe cut to ~3,500 common characters by scripts/build-caption-font.mjs.
 * Bundled (and precached by the service worker) so a meme looks the same on every system and
 * offline; characters outside the subset fall back to the system's CJK font.
 */
export const CAPTION_FAMILY = 'MemeFace Caption';
export const CAPTION_FONT_STACK = `"${CAPTION_FAMILY}", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif`;

const FACES = [
  { file: 'fonts/zcool-kuaile-latin.woff2', unicodeRange: 'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+2000-206F,U+20AC,U+2122,U+2212,U+FEFF,U+FFFD' },
  { file: 'fonts/zcool-kuaile-common.woff2', unicodeRange: 'U+3000-303F,U+3400-9FFF,U+FF00-FFEF' },
];

let loaded: Promise<void> | undefined;

/** Adds the font faces once and waits for both, so the first caption is not drawn in a fallback. */
export function loadCaptionFont(): Promise<void> {
  loaded ??= Promise.all(
    FACES.map((f) => {
      const face = new FontFace(CAPTION_FAMILY, `url(${new URL(f.file, document.baseURI).href}) format("woff2")`, { unicodeRange: f.unicodeRange });
      document.fonts.add(face);
      return face.load();
    }),
  ).then(
    () => undefined,
    // A missing font must not break generation: the system font stack draws the caption instead.
    () => undefined,
  );
  return loaded;
}
