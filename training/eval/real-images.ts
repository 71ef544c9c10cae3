import type { LoadedCorpus } from '../data/corpus';
import { decodePngFile } from '../io/png';
import { FEATURE_SIZE, flipHorizontal, imageFeatures, toFeatureSize, type SquareImage } from './image-features';
import { colourJitter, styleFeatures } from './style-features';

export class MissingCorpusImageError extends Error {
  override name = 'MissingCorpusImageError';
}

/** Real corpus images at the evaluation size and their frozen descriptors, decoded once. */
export class RealImages {
  private readonly pixels = new Map<string, SquareImage>();
  private readonly feats = new Map<string, Float32Array>();
  private readonly styles = new Map<string, Float32Array>();

  constructor(private readonly corpus: LoadedCorpus) {}

  image(id: string): SquareImage {
    let img = this.pixels.get(id);
    if (!img) {
      const record = this.corpus.records.find((r) => r.id === id);
      if (!record) throw new MissingCorpusImageError(`Corpus record ${id} does not exist; rebuild the corpus (npm run data).`);
      img = loadSquare(pathAtLeast(record.imagePaths, id));
      this.pixels.set(id, img);
    }
    return img;
  }

  /** Descriptor of the mirrored image (classifier training augmentation; not cached). */
  mirroredFeatures(id: string): Float32Array {
    return imageFeatures(flipHorizontal(this.image(id)));
  }

  /** Style descriptors of the template classifier's training views of one image (not cached). */
  styleViews(id: string, rng: () => number): Float32Array[] {
    const image = this.image(id);
    const mirrored = flipHorizontal(image);
    return [image, mirrored, colourJitter(image, rng), colourJitter(mirrored, rng)].map(styleFeatures);
  }

  /** The template classifier's style descriptor (style-features.ts). */
  styleFeatures(id: string): Float32Array {
    return this.memo(this.styles, id, styleFeatures);
  }

  /** The evaluator's and expression classifier's descriptor (image-features.ts). */
  features(id: string): Float32Array {
    return this.memo(this.feats, id, imageFeatures);
  }

  private memo(cache: Map<string, Float32Array>, id: string, describe: (image: SquareImage) => Float32Array): Float32Array {
    let f = cache.get(id);
    if (!f) {
      f = describe(this.image(id));
      cache.set(id, f);
    }
    return f;
  }
}

/** The smallest stored size that is ≥ the evaluation size (64 px in our corpus). */
export function pathAtLeast(paths: Record<string, string>, what: string): string {
  const sizes = Object.keys(paths).map(Number).filter((s) => s >= FEATURE_SIZE).sort((a, b) => a - b);
  if (!sizes.length) throw new MissingCorpusImageError(`${what} has no image of at least ${FEATURE_SIZE} px; rebuild the corpus (npm run data).`);
  return paths[String(sizes[0])];
}

export function loadSquare(path: string): SquareImage {
  const img = decodePngFile(path);
  if (img.width !== img.height) throw new MissingCorpusImageError(`${path} is not square (${img.width}×${img.height}); rebuild the corpus.`);
  return toFeatureSize({ size: img.width, data: img.data });
}
