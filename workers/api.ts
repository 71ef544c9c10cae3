/**
 * The one interface between the UI and the inference worker. Types only: the UI imports this
 * file and nothing else from workers/, so tfjs and jieba never reach the UI bundle.
 */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export type LoadPhase = 'manifest' | 'tokenizer' | 'text-encoder' | 'generator' | 'templates' | 'warmup';

export type WorkerEvent =
  | { type: 'progress'; phase: LoadPhase; loadedBytes: number; totalBytes: number; done: boolean }
  | { type: 'backend'; backend: BackendName; fallbacks: BackendFallback[] }
  | { type: 'device-lost'; backend: BackendName; reason: string }
  | { type: 'log'; message: string };

export interface BackendFallback {
  backend: BackendName;
  reason: string;
}

export interface TemplateInfo {
  id: string;
  style: string;
  name: { zh: string; en: string };
  /** URL of the thumbnail PNG. */
  thumbnailUrl: string;
}

export interface CheckpointInfo {
  index: number;
  epoch: number;
  step: number;
  /** Model settings where this checkpoint differs from the final model ("shadeInk: false"); empty when none. */
  settings: string[];
}

export interface ModelInfo {
  name: string;
  modelVersion: string;
  architecture: string;
  imageSizes: number[];
  templates: TemplateInfo[];
  checkpoints: CheckpointInfo[];
  licenses: { subject: string; license: string; attribution: string }[];
  maxChars: number;
  maxTokens: number;
  /** Sizes that have per-word attention outputs (attn_<size>); empty when the model has none. */
  attentionSizes: number[];
}

export interface InitOptions {
  /** URL of the model's manifest.json. */
  manifestUrl: string;
  /** Forced backend (?backend=); otherwise the best available, in BACKEND_ORDER. */
  backend?: BackendName;
  /** Skip the warm-up run (tests that measure it separately). */
  skipWarmup?: boolean;
}

export interface InitResult {
  backend: BackendName;
  fallbacks: BackendFallback[];
  model: ModelInfo;
  loadMs: number;
  warmupMs: number;
}

export interface TokenView {
  text: string;
  source: 'word' | 'char' | 'unk';
}

export interface TokenizeResult {
  tokens: TokenView[];
  truncated: boolean;
}

/** An uploaded template: any image the browser can decode. */
export interface CustomTemplate {
  bytes: ArrayBuffer;
  name: string;
}

export interface GenerateRequest {
  /** Caller's id; `cancel(id)` stops it. */
  id: string;
  text: string;
  templateId?: string;
  customTemplate?: CustomTemplate;
  seeds: number[];
  /** Index into the checkpoint timeline; omitted = the final model. */
  checkpoint?: number;
  includeAttention?: boolean;
  /** Also return the raw [-1, 1] floats of the final image (parity tests). */
  includeRaw?: boolean;
}

export interface StageImage {
  size: number;
  seedIndex: number;
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

export interface AttentionMap {
  size: number;
  /** One [S, S] map per token, values in [0, 1]. */
  maps: Float32Array[];
}

export interface GenerateResult {
  id: string;
  tokens: TokenView[];
  truncated: boolean;
  backend: BackendName;
  /** The largest stage's image, one per seed. */
  images: StageImage[];
  timings: { textEncoderMs: number; stages: { size: number; ms: number }[]; totalMs: number };
  attention?: AttentionMap[];
  raw?: Float32Array;
}

export interface MemeWorkerApi {
  init(options: InitOptions, onEvent?: (e: WorkerEvent) => void): Promise<InitResult>;
  tokenize(text: string): Promise<TokenizeResult>;
  /** Queued: runs after earlier requests. `onStage` gets each stage's images as they finish. */
  generate(request: GenerateRequest, onStage?: (images: StageImage[]) => void): Promise<GenerateResult>;
  cancel(id: string): void;
  numTensors(): Promise<number>;
  /**
   * Test hook: destroys the WebGPU device as a driver reset would, so tests can watch the worker
   * recover on another backend. Resolves false when the active backend has no GPU device.
   */
  loseDeviceForTest(): Promise<boolean>;
  dispose(): Promise<void>;
}

/** Error names the worker throws; the UI maps them to messages. */
export type WorkerErrorName =
  | 'EmptyTextError'
  | 'CancelledError'
  | 'ModelFileError'
  | 'ManifestError'
  | 'UnknownTemplateError'
  | 'InvalidImageError'
  | 'NotReadyError'
  | 'InvalidRequestError'
  | 'BackendError';
