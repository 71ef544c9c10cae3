import * as tf from '@tensorflow/tfjs';
import { parseManifest, type GraphRef, type ModelManifest, type StageRef } from '../model/manifest';
import type { LoadedPipeline } from '../model/runtime/pipeline';
import type { LoadPhase, ModelInfo, WorkerEvent } from './api';
import { ModelFiles } from './model-files';
import { WorkerError } from './errors';
import { patternsFromPngs } from './images';
import { loadTokenizer } from './tokenizer';

type Emit = (e: WorkerEvent) => void;

/** A loaded model: manifest, verified files, tokenizer, graph models per checkpoint, templates. */
export class ModelSession {
  private readonly pipelines = new Map<string, LoadedPipeline>();
  private readonly patterns = new Map<string, Record<number, Float32Array>>();

  private constructor(
    readonly manifest: ModelManifest,
    readonly files: ModelFiles,
    readonly tokenizer: Awaited<ReturnType<typeof loadTokenizer>>,
  ) {}

  static async open(manifestUrl: string, emit: Emit): Promise<ModelSession> {
    const progress = (phase: LoadPhase, loadedBytes: number, totalBytes: number, done: boolean) =>
      emit({ type: 'progress', phase, loadedBytes, totalBytes, done });
    progress('manifest', 0, 0, false);
    const manifest = await fetchManifest(manifestUrl);
    progress('manifest', 1, 1, true);
    const expected = new Map(manifest.files.map((f) => [f.path, f]));
    const files = new ModelFiles(new URL(manifestUrl, self.location.href).href, expected, () => undefined);
    progress('tokenizer', 0, 1, false);
    const tokenizer = await loadTokenizer(manifest.tokenizer.vocab, manifest.tokenizer.userDictionary, manifest.tokenizer.settings);
    progress('tokenizer', 1, 1, true);
    const session = new ModelSession(manifest, files, tokenizer);
    await session.pipeline(undefined, progress);
    return session;
  }

  info(): ModelInfo {
    const m = this.manifest;
    return {
      name: m.name,
      modelVersion: m.modelVersion,
      architecture: m.architecture,
      imageSizes: m.imageSizes,
      templates: m.templates.map((t) => ({ id: t.id, style: t.style, name: t.name, thumbnailUrl: this.files.url(t.thumbnail) })),
      checkpoints: m.checkpoints.map((c, index) => ({ index, epoch: c.epoch, step: c.step, settings: c.settings ?? [] })),
      licenses: m.licenses,
      maxChars: m.tokenizer.settings.maxChars,
      maxTokens: m.tokenizer.settings.maxTokens,
      attentionSizes: this.attentionSizes(),
    };
  }

  /** Sizes whose final stage graphs output attn_<size> (the AttnGAN word attention). */
  private attentionSizes(): number[] {
    const final = this.pipelines.get('final');
    const names = final ? final.stages.flatMap((s) => s.model.outputs.map((o) => o.name)) : [];
    return names.filter((n) => n.startsWith('attn_')).map((n) => Number(n.slice('attn_'.length))).sort((a, b) => a - b);
  }

  /** Graph models of the final model (undefined) or of timeline checkpoint `index`, loaded once. */
  async pipeline(index: number | undefined, progress?: (p: LoadPhase, l: number, t: number, d: boolean) => void): Promise<LoadedPipeline> {
    const key = index === undefined ? 'final' : `ckpt_${index}`;
    const hit = this.pipelines.get(key);
    if (hit) return hit;
    const refs = index === undefined ? this.manifest : this.manifest.checkpoints[index];
    if (!refs) throw new WorkerError('ModelFileError', `This model has no checkpoint ${index}.`);
    const textEncoder = await this.loadGraph(refs.textEncoder, 'text-encoder', progress);
    const stages: LoadedPipeline['stages'] = [];
    for (const s of refs.stages as StageRef[]) stages.push({ size: s.size, model: await this.loadGraph(s, 'generator', progress) });
    const p = { textEncoder, stages };
    this.pipelines.set(key, p);
    return p;
  }

  private async loadGraph(ref: GraphRef, phase: LoadPhase, progress?: (p: LoadPhase, l: number, t: number, d: boolean) => void) {
    const json = JSON.parse(await this.files.text(ref.modelJson));
    const dir = ref.modelJson.slice(0, ref.modelJson.lastIndexOf('/') + 1);
    const weightSpecs = json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights);
    const paths: string[] = json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths).map((p: string) => dir + p);
    const total = paths.reduce((n, p) => n + (this.manifest.files.find((f) => f.path === p)?.bytes ?? 0), 0);
    progress?.(phase, 0, total, false);
    const buffers = await Promise.all(paths.map((p) => this.files.get(p)));
    progress?.(phase, total, total, true);
    const weightData = concat(buffers);
    try {
      return await tf.loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData, format: json.format }));
    } catch (e) {
      throw new WorkerError('ModelFileError', `Graph model ${ref.modelJson} could not be loaded (${(e as Error).message}). Re-export the model.`);
    }
  }

  /** The template's patterns P_i as [-1, 1] floats, decoded once. */
  async templatePatterns(templateId: string): Promise<Record<number, Float32Array>> {
    const hit = this.patterns.get(templateId);
    if (hit) return hit;
    const t = this.manifest.templates.find((x) => x.id === templateId);
    if (!t) throw new WorkerError('UnknownTemplateError', `Unknown template "${templateId}". Pick one from the template picker.`);
    const pngs: Record<number, ArrayBuffer> = {};
    for (const [size, path] of Object.entries(t.patterns)) pngs[Number(size)] = await this.files.get(path);
    const p = await patternsFromPngs(pngs);
    this.patterns.set(templateId, p);
    return p;
  }

  dispose(): void {
    for (const p of this.pipelines.values()) {
      p.textEncoder.dispose();
      for (const s of p.stages) s.model.dispose();
    }
    this.pipelines.clear();
  }
}

async function fetchManifest(url: string): Promise<ModelManifest> {
  let raw: unknown;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    raw = await res.json();
  } catch (e) {
    throw new WorkerError('ManifestError', `Could not load the model manifest ${url} (${(e as Error).message}). Check the model folder and reload.`);
  }
  try {
    return parseManifest(raw);
  } catch (e) {
    throw new WorkerError('ManifestError', (e as Error).message);
  }
}

function concat(buffers: ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let o = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), o);
    o += b.byteLength;
  }
  return out.buffer;
}
