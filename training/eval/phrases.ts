import type { LoadedCorpus } from '../data/corpus';
import { normaliseCaption } from './text-features';

/**
 * Our own Chinese meme phrases for the human 0/1/2 rubric (the paper's: bad / acceptable /
 * funny and on-topic). Picked from common internet slang, checked against every corpus caption
 * (exact or containing one another) so none is a training caption.
 */
export const MEME_PHRASES = [
  '今天也要加油鸭', '我裂开了', '你礼貌吗', '芭比Q了', '绝绝子', '摸鱼中勿扰', '打工人的怨念', '我真的会谢',
  '大无语事件', '笑不活了', '头秃了', '吃瓜群众', '好家伙', '社死现场', '我麻了', '小丑竟是我自己',
  '躺平了', '气到原地爆炸', '心态崩了', '整个人都不好了',
] as const;

/** Phrases that collide with a corpus caption (should be none; reported, not fatal). */
export function phraseCollisions(corpus: LoadedCorpus, phrases: readonly string[] = MEME_PHRASES): string[] {
  const captions = new Set(corpus.records.flatMap((r) => r.zh.map((c) => normaliseCaption(c.text))));
  return phrases.filter((p) => {
    const q = normaliseCaption(p);
    if (captions.has(q)) return true;
    for (const c of captions) if (Array.from(c).length >= 3 && (q.includes(c) || c.includes(q))) return true;
    return false;
  });
}
