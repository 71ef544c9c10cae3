// Caption-band detection for user memes that carry their caption as text in a band at the top or
// bottom. Scanning inward from an edge, rows that are mostly the edge's background colour form the
// band region; the band is the text in it, cut either at the last blank gap before the picture
// (text on the picture's own background) or where the band colour ends (a solid band).

export interface BandOptions { minFraction: number; maxFraction: number; colorTolerance: number }

export interface BandCrop {
  /** Rows kept: [top, bottom). */
  top: number;
  bottom: number;
  removedTop: number;
  removedBottom: number;
}

interface RowStats { background: number; ink: number }

/** Median colour of one image row (per channel), as the band background estimate. */
function rowMedianColour(rgb: Uint8Array, width: number, y: number): [number, number, number] {
  const channel = (c: number): number => {
    const values: number[] = [];
    for (let x = 0; x < width; x++) values.push(rgb[(y * width + x) * 3 + c]);
    values.sort((a, b) => a - b);
    return values[values.length >> 1];
  };
  return [channel(0), channel(1), channel(2)];
}

function rowStats(rgb: Uint8Array, width: number, y: number, colour: [number, number, number], tolerance: number): RowStats {
  let background = 0;
  for (let x = 0; x < width; x++) {
    const i = (y * width + x) * 3;
    if (Math.abs(rgb[i] - colour[0]) <= tolerance && Math.abs(rgb[i + 1] - colour[1]) <= tolerance && Math.abs(rgb[i + 2] - colour[2]) <= tolerance) background++;
  }
  return { background: background / width, ink: 1 - background / width };
}

// Bold text rows can be half ink; a face or photo row is mostly non-background.
const BAND_ROW_MIN_BACKGROUND = 0.25;
const BLANK_ROW_MAX_INK = 0.01;

/** Number of separate ink runs in a row: text rows have many (strokes), drawings few. */
function inkRuns(rgb: Uint8Array, width: number, y: number, colour: [number, number, number], tolerance: number): number {
  let runs = 0, inside = false;
  for (let x = 0; x < width; x++) {
    const i = (y * width + x) * 3;
    const ink = Math.abs(rgb[i] - colour[0]) > tolerance || Math.abs(rgb[i + 1] - colour[1]) > tolerance || Math.abs(rgb[i + 2] - colour[2]) > tolerance;
    if (ink && !inside) runs++;
    inside = ink;
  }
  return runs;
}

const TEXT_MIN_MEAN_RUNS = 3; // glyph strokes; a halo or a sweat drop gives 1–2 runs per row

/** Rows to remove from one edge (0 when there is no band). `rows` lists row indices edge-inward. */
function bandDepth(rgb: Uint8Array, width: number, rows: readonly number[], options: BandOptions): number {
  const height = rows.length;
  const colour = rowMedianColour(rgb, width, rows[0]);
  const stats = rows.map((y) => rowStats(rgb, width, y, colour, options.colorTolerance));
  let end = 0; // first row (edge-inward) that is not band-like: the picture proper
  while (end < height && stats[end].background >= BAND_ROW_MIN_BACKGROUND) end++;
  if (end >= height) return 0; // the whole image is "background": nothing to separate
  let sawText = false, lastGapStart = -1, inkAfterGap = false;
  for (let i = 0; i < end; i++) {
    const blank = stats[i].ink <= BLANK_ROW_MAX_INK;
    if (!blank) {
      if (lastGapStart >= 0) inkAfterGap = true;
      sawText = true;
    } else if (sawText && stats[i - 1].ink > BLANK_ROW_MAX_INK) {
      lastGapStart = i;
      inkAfterGap = false;
    }
  }
  // A band needs text followed by a blank gap. With ink after the gap (the picture's faint edge on
  // the same background) cut at the gap; with none (a solid band) cut where the band colour ends.
  if (!sawText || lastGapStart < 0) return 0;
  const depth = inkAfterGap ? lastGapStart : end;
  const textRows = rows.slice(0, lastGapStart).filter((_, i) => stats[i].ink > BLANK_ROW_MAX_INK);
  const meanRuns = textRows.reduce((sum, y) => sum + inkRuns(rgb, width, y, colour, options.colorTolerance), 0) / Math.max(1, textRows.length);
  if (meanRuns < TEXT_MIN_MEAN_RUNS) return 0;
  const fraction = depth / height;
  return fraction >= options.minFraction && fraction <= options.maxFraction ? depth : 0;
}

/** Finds caption bands at the top and bottom of an RGB image; returns the rows to keep. */
export function detectCaptionBands(rgb: Uint8Array, width: number, height: number, options: BandOptions): BandCrop {
  const downward = Array.from({ length: height }, (_, i) => i);
  const removedTop = bandDepth(rgb, width, downward, options);
  const removedBottom = bandDepth(rgb, width, [...downward].reverse(), options);
  if (removedTop + removedBottom >= height * 0.8) return { top: 0, bottom: height, removedTop: 0, removedBottom: 0 };
  return { top: removedTop, bottom: height - removedBottom, removedTop, removedBottom };
}
