import { useEffect, useState } from 'react';

export interface LicenseEntry {
  subject: string;
  license: string;
  attribution: string;
  /** A licence text shipped under public/licenses/, or a URL. */
  textHref?: string;
  homepage?: string;
}

export interface LicenseFiles {
  /** Records from the JSON files (public/licenses/*.json). */
  entries: LicenseEntry[];
  /** Every other file (licence texts, the readable .md): linked, not inlined. */
  others: string[];
}

/** public/licenses/ (listed at build time): JSON records are fetched from our own origin. */
export function useLicenseFiles(): LicenseFiles {
  const [entries, setEntries] = useState<LicenseEntry[]>([]);
  useEffect(() => {
    let live = true;
    const json = __LICENSE_FILES__.filter((f) => f.endsWith('.json'));
    void Promise.all(
      json.map(async (name) => {
        const res = await fetch(new URL(`licenses/${name}`, document.baseURI));
        return toEntries(await res.json());
      }),
    ).then(
      (lists) => live && setEntries(lists.flat()),
      () => undefined, // a malformed file only hides its records; the rest of the page stands
    );
    return () => {
      live = false;
    };
  }, []);
  return { entries, others: __LICENSE_FILES__.filter((f) => !f.endsWith('.json')) };
}

/** Accepts a list, or an object holding a list, of records naming a subject, licence, attribution. */
function toEntries(raw: unknown): LicenseEntry[] {
  const list = Array.isArray(raw) ? raw : (Object.values(raw as object).find(Array.isArray) ?? [raw]);
  return (list as Record<string, unknown>[]).map((r) => {
    const text = str(r.licenceText ?? r.licenseText);
    return {
      subject: str(r.subject ?? r.name ?? r.package ?? r.id),
      license: str(r.license ?? r.licence ?? r.spdx),
      attribution: str(r.attribution ?? r.copyright ?? r.notice),
      textHref: text ? (/^https?:/.test(text) ? text : `licenses/${text}`) : undefined,
      homepage: str(r.homepage) || undefined,
    };
  });
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
