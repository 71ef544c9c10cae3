import type { TokenizeResult } from '../../../workers/api';
import { useI18n } from '../../i18n/i18n';
import { TokenChips } from './TokenChips';

/** Longest text the input takes; the model reads fewer (maxChars) and the chips say so. */
export const INPUT_MAX_CHARS = 500;

export function CaptionInput({ value, onChange, tokens, maxChars, maxTokens }: {
  value: string;
  onChange: (v: string) => void;
  tokens: TokenizeResult | undefined;
  maxChars: number;
  maxTokens: number;
}) {
  const { t } = useI18n();
  return (
    <div className="caption-input">
      <label htmlFor="caption-text">{t('text.label')}</label>
      <input
        id="caption-text"
        name="text"
        type="text"
        value={value}
        maxLength={INPUT_MAX_CHARS}
        placeholder={t('text.placeholder')}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
      />
      <TokenChips tokens={tokens} maxChars={maxChars} maxTokens={maxTokens} />
    </div>
  );
}
