import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import type { TemplateChoice } from '../generate/use-generate';

/**
 * "Bring your own template": the picture becomes the pattern P_i at every scale (the worker
 * letterboxes it onto white at 64/128/256). It is decoded here first, so a non-image gets a
 * clear message at once instead of at generation time.
 */
export function UploadTemplate({ onTemplate }: { onTemplate: (c: TemplateChoice) => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setError(undefined);
    const bytes = await file.arrayBuffer();
    try {
      const bitmap = await createImageBitmap(new Blob([bytes], { type: file.type }));
      bitmap.close();
    } catch {
      setError(t('templates.notImage', { name: file.name }));
      return;
    }
    onTemplate({ kind: 'custom', name: file.name, bytes, previewUrl: URL.createObjectURL(new Blob([bytes], { type: file.type })) });
  };
  return (
    <div className="upload-template">
      <label className="upload-button">
        {t('templates.upload')}
        <input
          type="file"
          accept="image/*"
          name="custom-template"
          onChange={(e) => {
            void onFile(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
      </label>
      {error && (
        <p className="error" role="alert" data-error="not-image">
          {error}
        </p>
      )}
    </div>
  );
}
