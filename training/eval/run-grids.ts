import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeModel } from '../export/node-model';
import { spacedIndices, type EvalConfig } from './config';
import type { EvalContext } from './evaluate-system';
import { gridPng, type GridRow } from './grids';
import { MEME_PHRASES } from './phrases';
import { modelSystem, type ImageSystem } from './systems';

/** Grid PNGs relative to the repository root: docs/evaluation/ for published runs, eval/<model>/images/ for the others. */
export interface GridFiles {
  testCaptions: string;
  checkpoints: string;
  phrases: string;
  /** Row and column meaning, for the report. */
  templates: string[];
  testCaptionsRows: { caption: string; heldOutImage: string }[];
}

export const DOCS_GRID_DIR = join('docs', 'evaluation');

export async function writeGrids(model: NodeModel, name: string, ctx: EvalContext, cfg: EvalConfig, publish: boolean, log: (l: string) => void): Promise<GridFiles> {
  // Spread over the manifest: it is alphabetical, so its first templates are one family.
  const all = model.manifest.templates;
  const templates = spacedIndices(all.length, cfg.grid.templates).map((i) => all[i].id);
  const final = await modelSystem(model, name, 'final');
  const seed = cfg.seed;
  const rows = ctx.pairs.slice(0, cfg.grid.captions);
  const testRows: GridRow[] = [];
  for (const p of rows) {
    const gen = await final.generate(templates.map((templateId) => ({ text: p.caption, templateId, seed })));
    testRows.push({ label: p.caption, cells: [ctx.real.image(p.record.id), ...gen] });
  }
  const phraseRows: GridRow[] = [];
  for (const phrase of MEME_PHRASES) phraseRows.push({ label: phrase, cells: await final.generate(templates.map((templateId) => ({ text: phrase, templateId, seed }))) });
  final.dispose?.();
  const files: GridFiles = {
    testCaptions: await save(name, 'test-captions', await gridPng(testRows, cfg.grid.cell, ['held-out real', ...templates]), publish),
    checkpoints: await save(name, 'checkpoints', await gridPng(await checkpointRows(model, name, ctx, cfg), cfg.grid.cell, ctx.pairs.slice(0, cfg.grid.checkpointCaptions).map((p) => p.caption)), publish),
    phrases: await save(name, 'phrases', await gridPng(phraseRows, cfg.grid.cell, templates), publish),
    templates,
    testCaptionsRows: rows.map((p) => ({ caption: p.caption, heldOutImage: p.record.id })),
  };
  log(`  grids: ${files.testCaptions}, ${files.checkpoints}, ${files.phrases}`);
  return files;
}

/** One row per checkpoint of the timeline (oldest first), then the final model; same captions and seed. */
async function checkpointRows(model: NodeModel, name: string, ctx: EvalContext, cfg: EvalConfig): Promise<GridRow[]> {
  const pairs = ctx.pairs.slice(0, cfg.grid.checkpointCaptions);
  const requests = pairs.map((p) => ({ text: p.caption, templateId: p.templateId, seed: cfg.seed }));
  const rows: GridRow[] = [];
  const row = async (label: string, system: ImageSystem) => {
    rows.push({ label, cells: await system.generate(requests) });
    system.dispose?.();
  };
  for (const i of spacedIndices(model.manifest.checkpoints.length, cfg.maxCheckpoints)) {
    await row(`epoch ${model.manifest.checkpoints[i].epoch}`, await modelSystem(model, `checkpoint-${i}`, '', i));
  }
  await row('final', await modelSystem(model, name, 'final'));
  return rows;
}

/**
 * Writes eval/<model>/images/<kind>.png (ignored) and, when published (a full test-split run
 * without --no-docs), copies it to docs/evaluation/<model>-<kind>.png (committed).
 */
async function save(name: string, kind: string, png: Buffer, publish: boolean): Promise<string> {
  const dir = join('eval', name, 'images');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${kind}.png`), png);
  if (!publish) return join(dir, `${kind}.png`);
  mkdirSync(DOCS_GRID_DIR, { recursive: true });
  const docPath = join(DOCS_GRID_DIR, `${name}-${kind}.png`);
  copyFileSync(join(dir, `${kind}.png`), docPath);
  return docPath;
}
