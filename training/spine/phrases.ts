import type { TokenizerSettings } from '../../model/text/tokenizer';

/** Captions for the spine's vocabulary: short meme phrases in Chinese and English. */
export const SPINE_PHRASES = [
  '别说了我脸红了', '笑哭了', '喜极而泣', '害羞', '难以置信', '生气', '好开心', '我太难了', '打工人',
  '求求你', '别骗我', '省省吧', '没脸见人', '无语', '震惊', '哭了', '笑死我了', '好困', '想睡觉',
  'laughing', 'crying', 'angry', 'happy', 'shy', 'surprised', 'sleepy', 'cool',
];

/** Meme slang that jieba splits wrongly out of the box (打工人 → 打/工人). */
export const USER_DICTIONARY = ['打工人', '绝绝子', '笑死我了', '我太难了', '没脸见人', 'yyds', '破防', '躺平', '摆烂', '内卷'];

/** Tokenizer settings of the spine (and of random-weight exports built on its vocabulary). */
export const SPINE_TOKENIZER: TokenizerSettings = { maxTokens: 12, maxChars: 50, lowercase: true };
