import { useEffect, useState } from 'react';

export interface LicenseFile {
  name: string;
  /** JSON files are shown as entries; other files as text. */
  entries?: { subject: string; license: string; attribution: string }[];
  text?: string;
}

/** The files under public/licenses/ (listed at build time), fetched from our own origin. */
export function useLicenseFiles(): LicenseFile[] {
  const [files, setFiles] = useState<LicenseFile[]>([]);
  useEffect(() => {
    let live = true;
    void Promise.all(
      __LICENSE_FILES__.map(async (name): Promise<LicenseFile> => {
        const res = await fetch(new URL(`licenses/${name}`, document.baseURI));
        const body = await res.text();
        if (!name.endsWith('.json')) return { name, text: body };
        try {
          return { name, entries: toEntries(JSON.parse(body)) };
        } catch {
          return { name, text: body };
        }
      }),
    ).then((f) => live && setFiles(f), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  return files;
}

/** Accepts a list, or an object holding a list, of records naming a subject/name, licence, attribution. */
function toEntries(raw: unknown): LicenseFile['entries'] {
  const list = Array.isArray(raw) ? raw : Object.values(raw as object).find(Array.isArray) ?? [raw];
  return (list as Record<string, unknown>[]).map((r) => ({
    subject: String(r.subject ?? r.name ?? r.package ?? r.set ?? r.id ?? ''),
    license: String(r.license ?? r.licence ?? r.spdx ?? ''),
    attribution: String(r.attribution ?? r.copyright ?? r.notice ?? ''),
  }));
}
