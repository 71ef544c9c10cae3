import { useEffect, useState } from 'react';
import type { TokenizeResult } from '../../../workers/api';
import type { MemeClient } from '../../worker-client/client';

const DEBOUNCE_MS = 150;

/** The worker's tokenization of `text`, refreshed shortly after typing stops. */
export function useTokens(client: MemeClient | undefined, ready: boolean, text: string): TokenizeResult | undefined {
  const [tokens, setTokens] = useState<TokenizeResult>();
  useEffect(() => {
    if (!client || !ready || !text.trim()) {
      setTokens(undefined);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      client.tokenize(text).then(
        (r) => live && setTokens(r),
        () => live && setTokens(undefined),
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, ready, text]);
  return tokens;
}
