import type { LoadedCorpus } from '../data/corpus';
import { decodePngFile } from '../io/png';
import { FEATURE_SIZE, flipHorizontal, imageFeatures, toFeatureSize, type SquareImage } from './image-features';

export class MissingCorpusImageError extends Error {
  override name = 'MissingCorpusImageError';
}

/** Real corpus images at the evaluation size and their frozen descriptors, decoded once. */
export class RealImages {
  private readonly pixels = new Map<string, SquareImage>();
  private readonly feats = new Map<string, Float32Array>();

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

  features(id: string): Float32Array {
    let f = this.feats.get(id);
    if (!f) {
      f = imageFeatures(this.image(id));
      this.feats.set(id, f);
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
