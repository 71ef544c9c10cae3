import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../../model/manifest';
import { exportSpine } from '../../../training/spine/export-spine';

/**
 * `npm run export -- --spine` writes the committed public/models/spine: same files, same bytes, same
 * manifest but its date. The app, the e2e tests and the parity tests run on that folder, so a change
 * to the exporter, the serializer or the spine's templates shows here first.
 */
const COMMITTED = 'public/models/spine';
let tmp: string;
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'spine-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the spine export', () => {
  it('reproduces public/models/spine byte for byte (re-run `npm run export -- --spine` after a deliberate change)', async () => {
    await exportSpine(tmp, 'spine');
    const { createdAt: _a, ...fresh } = manifestOf(tmp);
    const { createdAt: _b, ...committed } = manifestOf(COMMITTED);
    expect(fresh).toEqual(committed);
    for (const f of committed.files) expect(readFileSync(join(tmp, f.path)).equals(readFileSync(join(COMMITTED, f.path))), f.path).toBe(true);
  }, 60_000);
});
