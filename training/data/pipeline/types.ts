import type { CaptionCandidate } from '../captions/types.js';

/** One image moving through the pipeline, before it becomes a CorpusRecord. */
export interface PipelineItem {
  id: string;
  style: string;
  template: string;
  templateKind: 'face' | 'cat' | 'user';
  codepoint: string;
  emoji: string;
  expression: string;
  /** Neutral-face items are preferred as the template's base pattern. */
  isNeutral: boolean;
  source: { package: string; version: string; name: string };
  pngBySize: Map<number, Buffer>;
  features: Float64Array;
  zh: CaptionCandidate[];
  en: string[];
  /** Name used when composing short captions ("" when there is none). */
  zhName: string;
}

export interface StepCount {
  step: string;
  imagesBefore: number;
  imagesAfter: number;
  pairsBefore: number;
  pairsAfter: number;
  note: string;
}

export interface SkippedFile { file: string; reason: string }

export interface ClusteringReport {
  k: number;
  /** Agreement with the known style families (emoji corpus); null for user folders. */
  purity: number | null;
  nmi: number | null;
  /** Mean simplified silhouette of the clustering (how well separated the templates are). */
  silhouette: number;
  outliers: string[];
  misfits: string[];
  /** Per template: share of its images in its majority cluster. */
  templateAgreement: Record<string, number>;
  seconds: number;
}

export interface BuildReport {
  kind: 'emoji' | 'user';
  steps: StepCount[];
  clustering: ClusteringReport;
  composedCaptions: number;
  distinctCaptions: { raw: number; final: number };
  perplexityCeiling: number;
  split: { trainImages: number; testImages: number; trainPairs: number; testPairs: number; heldOutCaptions: number; heldOutPairs: number };
  templates: { id: string; images: number; base: string; baseReason: string }[];
  skipped: SkippedFile[];
  bandsCropped: { file: string; removedTop: number; removedBottom: number }[];
  seconds: { rasterise: number; total: number };
}
