/**
 * Run folders and checkpoints.
 *
 *   training/runs/<date>_<config>/
 *     config.json         resolved run config
 *     vocab.json          tokenizer settings + vocabulary (model/text/tokenizer.ts)
 *     templates.json      templates used (+ templates/<id>.png, 256 px, for the exporter)
 *     log.jsonl           one JSON line per logged step / event
 *     samples/epoch_XXXX.png   the fixed sample grid at every GAN checkpoint
 *     checkpoints/
 *       damsm_XXXX/       DAMSM pre-training checkpoints
 *       epoch_XXXX/       GAN checkpoints: state.json, params.*, ema.*, opt_*.*
 *
 * A checkpoint is written to `<name>.tmp` and renamed, so a kill at any moment leaves either
 * the previous checkpoint or the new one, never half of one.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from './config';
import { modelConfig } from './config';
import type { MemeFaceConfig } from '../../model/memeface/config';

export type WeightMap = Map<string, { shape: number[]; values: Float32Array }>;

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

interface IndexEntry {
  name: string;
  shape: number[];
  offset: number; // in floats
}

/** Writes `<stem>.json` (index) and `<stem>.bin` (float32 little-endian). */
export function writeWeights(dir: string, stem: string, w: WeightMap): void {
  const index: IndexEntry[] = [];
  let total = 0;
  for (const [name, { shape, values }] of w) {
    index.push({ name, shape, offset: total });
    total += values.length;
  }
  const buf = new Float32Array(total);
  for (const e of index) buf.set(w.get(e.name)!.values, e.offset);
  writeFileSync(join(dir, `${stem}.bin`), new Uint8Array(buf.buffer));
  writeFileSync(join(dir, `${stem}.json`), JSON.stringify(index));
}

export function readWeights(dir: string, stem: string): WeightMap {
  const jsonPath = join(dir, `${stem}.json`);
  if (!existsSync(jsonPath)) throw new CheckpointError(`Checkpoint ${dir} has no ${stem}.json: it is incomplete or from another version.`);
  const index = JSON.parse(readFileSync(jsonPath, 'utf8')) as IndexEntry[];
  const bytes = readFileSync(join(dir, `${stem}.bin`));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out: WeightMap = new Map();
  for (const e of index) {
    const n = e.shape.reduce((a, b) => a * b, 1);
    out.set(e.name, { shape: e.shape, values: all.slice(e.offset, e.offset + n) });
  }
  return out;
}

export interface CheckpointState {
  phase: 'damsm' | 'gan';
  /** Epochs completed in this phase. */
  epoch: number;
  /** Optimiser steps completed in this phase. */
  step: number;
  /** Global steps over both phases (the RNG stream position: every random draw derives from seed + step). */
  globalStep: number;
  rng: { seed: number; step: number };
  adamSteps: Record<string, number>;
  configHash: string;
  savedAt: string;
  elapsedSeconds: number;
}

export interface CheckpointInfo {
  epoch: number;
  step: number;
  dir: string;
  /** The run that saved it (a warm start's history holds its source run's checkpoints too). */
  runDir: string;
}

const CKPT_RE = /^(epoch|damsm)_(\d{4,})$/;

function list(runDir: string, kind: 'epoch' | 'damsm'): CheckpointInfo[] {
  const root = join(runDir, 'checkpoints');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((name) => ({ name, m: CKPT_RE.exec(name) }))
    .filter((x) => x.m && x.m[1] === kind && existsSync(join(root, x.name, 'state.json')))
    .map(({ name }) => {
      const dir = join(root, name);
      const s = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as CheckpointState;
      return { epoch: s.epoch, step: s.step, dir, runDir };
    })
    .sort((a, b) => a.epoch - b.epoch);
}

/** The run's GAN checkpoints (EMA generator + text encoder inside), oldest first. For the exporter. */
export function listCheckpoints(runDir: string): CheckpointInfo[] {
  return list(runDir, 'epoch');
}

/**
 * A run started from an export (`--init-from-export`) records it in `from-export.json`: its DAMSM
 * phase keeps the text encoder frozen, and the exporter puts that export's timeline first.
 */
export interface ExportStartRecord {
  /** The export's folder when the run started. */
  model: string;
  modelVersion: string;
}

const EXPORT_START_FILE = 'from-export.json';

export function writeExportStartRecord(runDir: string, record: ExportStartRecord): void {
  writeFileSync(join(runDir, EXPORT_START_FILE), JSON.stringify(record, null, 1));
}

/** The run's ExportStartRecord; null for a run that did not start from an export. */
export function readExportStartRecord(runDir: string): ExportStartRecord | null {
  const path = join(runDir, EXPORT_START_FILE);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ExportStartRecord) : null;
}

/** A warm-started run's `warm-start.json`: the run and checkpoint it went on from. */
export interface WarmStartRecord {
  sourceRun: string;
  epoch: number;
}

export function writeWarmStartRecord(runDir: string, record: WarmStartRecord): void {
  writeFileSync(join(runDir, 'warm-start.json'), JSON.stringify(record, null, 1));
}

/**
 * The GAN checkpoints a run's weights went through, oldest first: for a warm-started run, its
 * source's checkpoints up to the one it started from (and theirs, recursively), then its own.
 * The exporter's timeline, so that the app shows the whole training. A source folder that is
 * gone leaves only the checkpoints that are still there.
 */
export function checkpointHistory(runDir: string): CheckpointInfo[] {
  const own = listCheckpoints(runDir);
  const p = join(runDir, 'warm-start.json');
  if (!existsSync(p)) return own;
  const w = JSON.parse(readFileSync(p, 'utf8')) as WarmStartRecord;
  if (!existsSync(join(w.sourceRun, 'config.json'))) return own;
  return [...checkpointHistory(w.sourceRun).filter((c) => c.epoch <= w.epoch), ...own];
}

/** The run's DAMSM pre-training checkpoints, oldest first. */
export function listDamsmCheckpoints(runDir: string): CheckpointInfo[] {
  return list(runDir, 'damsm');
}

/**
 * The weights to export from a checkpoint: the EMA generator and the (frozen) text encoder,
 * named exactly as the architecture's Params names ("text/...", "gen/...").
 */
export function loadExportWeights(checkpointDir: string): WeightMap {
  return readWeights(checkpointDir, 'ema');
}

export function readState(checkpointDir: string): CheckpointState {
  const p = join(checkpointDir, 'state.json');
  if (!existsSync(p)) throw new CheckpointError(`${checkpointDir} is not a checkpoint (no state.json).`);
  return JSON.parse(readFileSync(p, 'utf8')) as CheckpointState;
}

/** Writes a checkpoint atomically: files go to `<dir>.tmp`, then one rename. */
export function writeCheckpoint(dir: string, state: CheckpointState, groups: Record<string, WeightMap>): void {
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const [stem, w] of Object.entries(groups)) writeWeights(tmp, stem, w);
  writeFileSync(join(tmp, 'state.json'), JSON.stringify(state, null, 1));
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
}

export function checkpointDirName(phase: 'damsm' | 'gan', epoch: number): string {
  return `${phase === 'gan' ? 'epoch' : 'damsm'}_${String(epoch).padStart(4, '0')}`;
}

/** The resolved run config saved in a run folder. */
export function readRunConfig(runDir: string): RunConfig {
  const p = join(runDir, 'config.json');
  if (!existsSync(p)) throw new CheckpointError(`${runDir} is not a run folder (no config.json).`);
  return JSON.parse(readFileSync(p, 'utf8')) as RunConfig;
}

export interface RunVocab {
  settings: { maxTokens: number; maxChars: number; lowercase: boolean };
  words: string[];
  userDictionary: string[];
}

export function readRunVocab(runDir: string): RunVocab {
  return JSON.parse(readFileSync(join(runDir, 'vocab.json'), 'utf8')) as RunVocab;
}

/** The architecture config (model/memeface) of a run: the run config's model part plus the vocabulary size. For the exporter. */
export function runModelConfig(runDir: string): MemeFaceConfig {
  return modelConfig(readRunConfig(runDir), readRunVocab(runDir).words.length);
}
