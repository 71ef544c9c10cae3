import { useState, type RefObject } from 'react';
import { useI18n } from '../../i18n/i18n';
import { canvasPng, downloadBlob, memeFilename } from './canvas-png';

type Feedback = { ok: boolean; text: string } | undefined;

/** Download PNG, copy the image, and a share link that reproduces the same pixels. */
export function ShareActions({ canvasRef, text, seed, link }: { canvasRef: RefObject<HTMLCanvasElement | null>; text: string; seed: number; link: string | undefined }) {
  const { t } = useI18n();
  const [feedback, setFeedback] = useState<Feedback>();
  const withCanvas = async (f: (png: Blob) => Promise<void> | void) => {
    if (!canvasRef.current) return;
    await f(await canvasPng(canvasRef.current));
  };
  const download = () => withCanvas((png) => downloadBlob(png, memeFilename(text, seed)));
  const copy = () =>
    withCanvas(async (png) => {
      try {
        await navigator.clipboard.write([new ClipboardItem({ 'image/png': png })]);
        setFeedback({ ok: true, text: t('share.copied') });
      } catch (e) {
        setFeedback({ ok: false, text: t('share.copyFailed', { reason: (e as Error).message || String(e) }) });
      }
    });
  const copyLink = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      setFeedback({ ok: true, text: t('share.linkCopied') });
    } catch (e) {
      setFeedback({ ok: false, text: t('share.copyFailed', { reason: (e as Error).message || String(e) }) });
    }
  };
  return (
    <div className="share-actions">
      <div className="button-row">
        <button type="button" onClick={() => void download()} data-action="download">
          {t('share.download')}
        </button>
        <button type="button" onClick={() => void copy()} data-action="copy">
          {t('share.copy')}
        </button>
        <button type="button" onClick={() => void copyLink()} disabled={!link} data-action="share">
          {t('share.link')}
        </button>
      </div>
      {link ? (
        <label className="share-link">
          <span>{t('share.link')}</span>
          <input readOnly value={link} onFocus={(e) => e.currentTarget.select()} name="share-link" />
        </label>
      ) : (
        <p className="hint">{t('share.customNoLink')}</p>
      )}
      <p className={feedback?.ok === false ? 'feedback error' : 'feedback'} role="status" aria-live="polite">
        {feedback?.text}
      </p>
    </div>
  );
}
