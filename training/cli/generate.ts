import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { selectInferenceBackend } from '../generate/inference-backend';
import { attentionSheet } from '../generate/attention-sheet';
import { generateMemes, sideBySide } from '../generate/generate';
import { resolveModel } from '../eval/model-path';

const USAGE = `Usage: npm run generate -- --text "别说了我脸红了" [--template <id>] [--seed 7] [--variants N]
       [--checkpoint <index>] [--model default|<folder>] [--out meme.png] [--attention attn.png] [--no-caption] [--backend wasm|cpu|tensorflow]`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      text: { type: 'string' },
      template: { type: 'string' },
      seed: { type: 'string', default: '7' },
      variants: { type: 'string', default: '1' },
      checkpoint: { type: 'string' },
      model: { type: 'string', default: 'default' },
      out: { type: 'string', default: 'meme.png' },
      attention: { type: 'string' },
      'no-caption': { type: 'boolean', default: false },
      backend: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const int = (name: string, v: string | undefined, min: number, max: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw Object.assign(new Error(`--${name} must be an integer from ${min} to ${max}.`), { name: 'UsageError' });
    return n;
  };
  const backend = await selectInferenceBackend(values.backend);
  const out = await generateMemes({
    manifestPath: resolveModel(values.model).manifestPath,
    text: values.text ?? '',
    templateId: values.template,
    seed: int('seed', values.seed, 0, 2 ** 31 - 1)!,
    variants: int('variants', values.variants, 1, 8)!,
    checkpoint: int('checkpoint', values.checkpoint, 0, 10_000),
    caption: !values['no-caption'],
  });
  writeFileSync(values.out, await sideBySide(out.pngs));
  const tokens = out.tokens.tokens.map((t) => (t.source === 'word' ? t.text : `${t.text}(${t.source})`)).join(' / ');
  console.log(`backend ${backend} · template ${out.templateId} · tokens ${tokens}${out.tokens.truncated ? ' (text was cut)' : ''}`);
  console.log(`text encoder ${out.result.textEncoderMs.toFixed(1)} ms · ${out.result.stages.map((s) => `${s.size}px ${s.ms.toFixed(1)} ms`).join(' · ')}`);
  console.log(`wrote ${values.out} (${out.pngs.length} variant${out.pngs.length > 1 ? 's' : ''})`);
  if (values.attention) {
    writeFileSync(values.attention, await attentionSheet(out.result, out.tokens.tokens));
    console.log(`wrote ${values.attention}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`${e.name}: ${e.message}`);
    if (e.name === 'UsageError') console.error(USAGE);
    process.exit(e.name === 'UsageError' || e.name === 'EmptyTextError' || e.name === 'UnknownTemplateError' ? 2 : 1);
  },
);
