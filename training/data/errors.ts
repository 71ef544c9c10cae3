// Error classes whose names tell the user what to do next.

/** The data-build config has a wrong key or value: fix the config object or CLI flag. */
export class FixDataConfigError extends Error {
  override name = 'FixDataConfigError';
}

/** A pinned npm package or vendored file is missing: run `npm ci` (or restore training/data/vendor/). */
export class ReinstallDataPackagesError extends Error {
  override name = 'ReinstallDataPackagesError';
}

/** The `--from` folder lacks a usable captions file or images: add captions.jsonl / captions.csv next to the images. */
export class AddCaptionsFileError extends Error {
  override name = 'AddCaptionsFileError';
}

/** The corpus folder is missing or stale: run `npm run data` to rebuild it. */
export class RebuildCorpusError extends Error {
  override name = 'RebuildCorpusError';
}

/** Too little data survived cleaning to build a corpus: relax the filters or add images. */
export class RelaxFiltersOrAddDataError extends Error {
  override name = 'RelaxFiltersOrAddDataError';
}
