import type { LoadedCorpus } from '../data/corpus';
import { decodePngFile } from '../io/png';
import { FEATURE_SIZE, flipHorizontal, imageFeatures, resizeSquare, toFeatureSize, type SquareImage } from './image-features';
import { colourJitter, STYLE_SIZE, styleFeatures } from './style-features';

export class MissingCorpusImageError extends Error {
  override name = 'MissingCorpusImageError';
}

/**
 * Real corpus images and their frozen descriptors, decoded once. Each image is read at the style
 * descriptor's size (`sharpImage`, 128 px) and box-filtered to the other descriptor's 64 px
 * (`image`), the same path a generated 256 px face takes, so real and generated images are
 * measured alike.
 */
export class RealImages {
  private readonly pixels = new Map<string, SquareImage>();
  private readonly sharp = new Map<string, SquareImage>();
  private readonly feats = new Map<string, Float32Array>();
  private readonly styles = new Map<string, Float32Array>();

  constructor(private readonly corpus: LoadedCorpus) {}

  /** The image at the 64 px descriptor size. */
  image(id: string): SquareImage {
    let img = this.pixels.get(id);
    if (!img) {
      img = toFeatureSize(this.sharpImage(id));
      this.pixels.set(id, img);
    }
    return img;
  }

  /** The image at the style descriptor's size (STYLE_SIZE px). */
  sharpImage(id: string): SquareImage {
    let img = this.sharp.get(id);
    if (!img) {
      const record = this.corpus.records.find((r) => r.id === id);
      if (!record) throw new MissingCorpusImageError(`Corpus record ${id} does not exist; rebuild the corpus (npm run data).`);
      // A corpus built without 128 px images (a small user data set) is read at its 64 px, enlarged.
      const size = hasSizeAtLeast(record.imagePaths, STYLE_SIZE) ? STYLE_SIZE : FEATURE_SIZE;
      img = resizeSquare(loadSquare(pathAtLeast(record.imagePaths, id, size)), STYLE_SIZE);
      this.sharp.set(id, img);
    }
    return img;
  }

  /** Descriptor of the mirrored image (classifier training augmentation; not cached). */
  mirroredFeatures(id: string): Float32Array {
    return imageFeatures(flipHorizontal(this.image(id)));
  }

  /** Style descriptors of the template classifier's training views of one image (not cached). */
  styleViews(id: string, rng: () => number): Float32Array[] {
    const image = this.sharpImage(id);
    const mirrored = flipHorizontal(image);
    return [image, mirrored, colourJitter(image, rng), colourJitter(mirrored, rng)].map(styleFeatures);
  }

  /** The template classifier's style descriptor (style-features.ts). */
  styleFeatures(id: string): Float32Array {
    return this.memo(this.styles, id, () => styleFeatures(this.sharpImage(id)));
  }

  /** The evaluator's and expression classifier's descriptor (image-features.ts). */
  features(id: string): Float32Array {
    return this.memo(this.feats, id, () => imageFeatures(this.image(id)));
  }

  private memo(cache: Map<string, Float32Array>, id: string, describe: () => Float32Array): Float32Array {
    let f = cache.get(id);
    if (!f) {
      f = describe();
      cache.set(id, f);
    }
    return f;
  }
}

function hasSizeAtLeast(paths: Record<string, string>, size: number): boolean {
  return Object.keys(paths).some((s) => Number(s) >= size);
}

/** The smallest stored size that is ≥ `size` (default the 64 px descriptor size). */
export function pathAtLeast(paths: Record<string, string>, what: string, size = FEATURE_SIZE): string {
  const sizes = Object.keys(paths).map(Number).filter((s) => s >= size).sort((a, b) => a - b);
  if (!sizes.length) throw new MissingCorpusImageError(`${what} has no image of at least ${size} px; rebuild the corpus (npm run data).`);
  return paths[String(sizes[0])];
}

/** A square PNG at its own size. */
export function loadSquare(path: string): SquareImage {
  const img = decodePngFile(path);
  if (img.width !== img.height) throw new MissingCorpusImageError(`${path} is not square (${img.width}×${img.height}); rebuild the corpus.`);
  return { size: img.width, data: img.data };
}
