// Reading a user's folder of memes: images plus one captions file, JSONL or CSV.
//   captions.jsonl: {"file": "a.png", "zh": ["别骗我", …], "expression"?: "liar", "en"?: ["…"]} per line
//                   ("caption": "…" is accepted for a single caption)
//   captions.csv:   header file,caption[,expression]; one row per (file, caption)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AddCaptionsFileError } from './errors.js';

export interface UserCaptionEntry { file: string; zh: string[]; en: string[]; expression: string | null }

export const CAPTION_FILE_NAMES = ['captions.jsonl', 'captions.csv'] as const;

/** RFC 4180-style CSV rows (quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.some((f) => f.trim() !== '')) rows.push(row);
      row = [];
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f.trim() !== '')) rows.push(row);
  return rows;
}

function merge(entries: Map<string, UserCaptionEntry>, file: string, zh: string[], en: string[], expression: string | null): void {
  const entry = entries.get(file) ?? { file, zh: [], en: [], expression: null };
  for (const c of zh.map((s) => s.trim()).filter(Boolean)) if (!entry.zh.includes(c)) entry.zh.push(c);
  for (const c of en.map((s) => s.trim()).filter(Boolean)) if (!entry.en.includes(c)) entry.en.push(c);
  entry.expression ??= expression?.trim() || null;
  entries.set(file, entry);
}

export interface CaptionFileProblems { line: number; reason: string }

/** Parses captions.jsonl or captions.csv; bad lines are reported, not fatal. */
export function readCaptionsFile(folder: string): { entries: Map<string, UserCaptionEntry>; captionFile: string; problems: CaptionFileProblems[] } {
  const captionFile = CAPTION_FILE_NAMES.map((name) => join(folder, name)).find((path) => existsSync(path));
  if (!captionFile) throw new AddCaptionsFileError(`No captions file in ${folder}: add captions.jsonl or captions.csv (see docs/DATA.md).`);
  const text = readFileSync(captionFile, 'utf8').replace(/^\uFEFF/, '');
  const entries = new Map<string, UserCaptionEntry>();
  const problems: CaptionFileProblems[] = [];
  if (captionFile.endsWith('.jsonl')) {
    text.split(/\r?\n/).forEach((line, index) => {
      if (!line.trim()) return;
      try {
        const value = JSON.parse(line) as { file?: unknown; zh?: unknown; caption?: unknown; en?: unknown; expression?: unknown };
        const zh = Array.isArray(value.zh) ? value.zh.filter((s): s is string => typeof s === 'string') : typeof value.caption === 'string' ? [value.caption] : [];
        const en = Array.isArray(value.en) ? value.en.filter((s): s is string => typeof s === 'string') : [];
        if (typeof value.file !== 'string' || zh.length === 0) throw new Error('needs "file" and "zh" (or "caption")');
        merge(entries, value.file, zh, en, typeof value.expression === 'string' ? value.expression : null);
      } catch (error) {
        problems.push({ line: index + 1, reason: error instanceof Error ? error.message : String(error) });
      }
    });
  } else {
    const [header, ...rows] = parseCsv(text);
    const column = (name: string): number => (header ?? []).findIndex((h) => h.trim().toLowerCase() === name);
    const fileCol = column('file'), captionCol = column('caption'), expressionCol = column('expression');
    if (fileCol < 0 || captionCol < 0) throw new AddCaptionsFileError(`${captionFile} needs a header with "file" and "caption" columns.`);
    rows.forEach((row, index) => {
      const file = row[fileCol]?.trim(), caption = row[captionCol]?.trim();
      if (!file || !caption) { problems.push({ line: index + 2, reason: 'empty file or caption' }); return; }
      merge(entries, file, [caption], [], expressionCol >= 0 ? row[expressionCol] ?? null : null);
    });
  }
  return { entries, captionFile, problems };
}

/** Every regular file under the folder (relative paths, sorted), except the captions files. */
export function listFolderFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (name.startsWith('.')) continue;
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(folder, path).split('\\').join('/'));
    }
  };
  walk(folder);
  return out.filter((f) => !(CAPTION_FILE_NAMES as readonly string[]).includes(f));
}
