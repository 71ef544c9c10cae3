import type { TokenizeResult } from '../../../workers/api';
import { useI18n } from '../../i18n/i18n';

/** The words the model reads, as chips; unknown words and character fallbacks are marked. */
export function TokenChips({ tokens, maxChars, maxTokens }: { tokens: TokenizeResult | undefined; maxChars: number; maxTokens: number }) {
  const { t } = useI18n();
  if (!tokens) return null;
  return (
    <div className="tokens">
      <span className="tokens-label" id="tokens-label">
        {t('text.tokens')}
      </span>
      <ul className="chips" aria-labelledby="tokens-label">
        {tokens.tokens.map((tok, i) => {
          const note = tok.source === 'unk' ? t('text.unknown') : tok.source === 'char' ? t('text.split') : undefined;
          return (
            <li key={i} className={`chip chip-${tok.source}`} data-source={tok.source} title={note}>
              {tok.text}
              {note && <span className="visually-hidden"> ({note})</span>}
            </li>
          );
        })}
      </ul>
      {tokens.truncated && (
        <p className="notice" role="status" data-notice="truncated">
          {t('text.truncated', { chars: maxChars, tokens: maxTokens })}
        </p>
      )}
    </div>
  );
}
