declare module 'fontverter' {
  /** Converts between sfnt (TrueType/OpenType), woff and woff2. */
  export function convert(font: Uint8Array, to: 'truetype' | 'sfnt' | 'woff' | 'woff2'): Promise<Uint8Array>;
  export function detectFormat(font: Uint8Array): string;
  const fontverter: { convert: typeof convert; detectFormat: typeof detectFormat };
  export default fontverter;
}
