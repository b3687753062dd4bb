// Google-native documents: no bytes of their own, readable only through files.export.
import { seedContent } from '../common/seed';
import type { DriveFile, DriveStore } from './store';

export const DOCUMENT = 'application/vnd.google-apps.document';
export const SPREADSHEET = 'application/vnd.google-apps.spreadsheet';
export const PRESENTATION = 'application/vnd.google-apps.presentation';

/** Export formats per native type (the Office ones first; Drive offers more, e.g. PDF). */
export const EXPORT_FORMATS: Record<string, string[]> = {
  [DOCUMENT]: [
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/pdf',
    'text/plain',
  ],
  [SPREADSHEET]: [
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/pdf',
    'text/csv',
  ],
  [PRESENTATION]: [
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    'application/pdf',
  ],
};

/** Drive refuses to export anything larger than 10 MB. */
export const EXPORT_LIMIT_BYTES = 10 * 1024 * 1024;

/** The bytes of an export: deterministic, so tests can regenerate them. */
export const exportContent = (f: DriveFile, mimeType: string): Buffer =>
  seedContent(`${f.id}:${mimeType}`, f.exportSize ?? 0);

export interface SeededNative {
  id: string;
  path: string;
  mimeType: string;
  exportSize: number;
}

/** A folder "/Google Docs" with a document, a sheet, a deck and a document too large to export. */
export function seedNatives(store: DriveStore): SeededNative[] {
  const folder = store.create({
    name: 'Google Docs',
    mimeType: 'application/vnd.google-apps.folder',
    parents: [store.rootId],
  });
  const specs: Array<[string, string, number]> = [
    ['Meeting notes', DOCUMENT, 23_456],
    ['Budget', SPREADSHEET, 34_567],
    ['Roadmap', PRESENTATION, 45_678],
    ['Huge report', DOCUMENT, EXPORT_LIMIT_BYTES + 1],
  ];
  return specs.map(([name, mimeType, exportSize]) => {
    const f = store.create({ name, mimeType, parents: [folder.id], exportSize });
    return { id: f.id, path: `/Google Docs/${name}`, mimeType, exportSize };
  });
}
