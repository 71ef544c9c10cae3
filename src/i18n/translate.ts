import { MESSAGES, type Lang, type MessageKey } from './messages';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** A message in `lang` with its {placeholders} filled; English, then the key, if one is missing. */
export function translator(lang: Lang): Translate {
  return (key, vars) => {
    const s: string = MESSAGES[lang][key] ?? MESSAGES.en[key] ?? key;
    return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : s;
  };
}
