// The sample content of the demo mode: a lived-in "Google Drive" (about 300 files in nested folders,
// names with spaces and Unicode, one video over 20 MB, a few Google Docs/Sheets), a smaller "OneDrive"
// and a nearly empty "Dropbox". Deterministic: the same tree, names, sizes and bytes on every start.
// Only names every provider accepts, so a demo migration completes without renamed or failed files.
import type { ServiceName } from '../../contract';
import { prng, type SeedEntry, type SeedOptions } from '../../emulators/common/seed';
import type { DriveSeedOptions } from '../../emulators/google-drive/seed';

const KiB = 1024;
const MiB = 1024 * KiB;

type Kind = 'photo' | 'doc' | 'text' | 'audio' | 'clip' | 'icon';

/** Per kind: extensions, base names, and the size range (sizes spread log-uniformly within it). */
const KINDS: Record<Kind, { ext: string[]; names: string[]; min: number; max: number }> = {
  photo: {
    ext: ['.jpg', '.jpg', '.heic', '.png'],
    names: ['IMG', 'IMG', 'DSC', 'Pôr do sol', 'Praia', 'Família', 'Street food', 'Tram 28', 'お寺'],
    min: 12 * KiB,
    max: 250 * KiB,
  },
  doc: {
    ext: ['.pdf', '.docx', '.xlsx', '.pptx'],
    names: [
      'Invoice',
      'Contract draft',
      'Résumé',
      'Lebenslauf',
      '見積書',
      'Übersicht',
      'Project plan',
      'Report',
    ],
    min: 6 * KiB,
    max: 500 * KiB,
  },
  text: {
    ext: ['.txt', '.md', '.csv'],
    names: ['notes', 'TODO', 'Ideen', 'receita', 'checklist', 'reading list', 'メモ'],
    min: 200,
    max: 60 * KiB,
  },
  audio: {
    ext: ['.mp3', '.m4a'],
    names: ['Track', 'Café mix', 'Demo take', 'Voice memo'],
    min: 600 * KiB,
    max: 3 * MiB,
  },
  clip: { ext: ['.mp4', '.mov'], names: ['Clip', 'Timelapse'], min: 1 * MiB, max: 3 * MiB },
  icon: { ext: ['.svg', '.png'], names: ['icon', 'logo', 'badge'], min: 300, max: 24 * KiB },
};

/** A folder of the sample: how many files of which kinds, and the year its files are from. */
type FolderPlan = [path: string, files: number, kinds: Kind[], year: number];

const DRIVE: FolderPlan[] = [
  ['/', 4, ['doc', 'text'], 2024],
  ['/Documents', 12, ['doc', 'text'], 2024],
  ['/Documents/Taxes 2023', 8, ['doc'], 2023],
  ['/Documents/Résumé & cover letters', 5, ['doc'], 2022],
  ['/Documents/Contracts/Signed', 6, ['doc'], 2021],
  ['/Photos/2023 Lisbon trip', 40, ['photo'], 2023],
  ['/Photos/2024 京都 Kyoto', 35, ['photo'], 2024],
  ['/Photos/Family/Grandma’s 90th', 20, ['photo'], 2022],
  ['/Photos/Screenshots', 20, ['photo'], 2024],
  ['/Projects/Website redesign', 10, ['doc', 'text'], 2024],
  ['/Projects/Website redesign/assets/icons', 25, ['icon'], 2024],
  ['/Projects/Q3 launch', 12, ['doc', 'text'], 2024],
  ['/Projects/Q3 launch/Press kit', 8, ['photo', 'doc'], 2024],
  ['/Music/Café playlists', 4, ['audio'], 2020],
  ['/Music/Demos – garage band', 2, ['audio'], 2019],
  ['/Recipes', 16, ['text'], 2021],
  ['/Notes/Journal 2024', 20, ['text'], 2024],
  ['/School/Ünïversity notes/Semester 1', 15, ['text', 'doc'], 2019],
  ['/Archive/2019', 10, ['doc', 'photo'], 2019],
  ['/Archive/2020', 10, ['doc', 'photo'], 2020],
  ['/Archive/2021/Old backups', 8, ['text', 'doc'], 2021],
  ['/Videos', 2, ['clip'], 2023],
];

/** The one large file (≳ 20 MB), so a demo migration shows a resumable upload session. */
const DRIVE_LARGE = { path: '/Videos/Holiday highlights 2023.mp4', size: 20 * MiB + 512_345 };

const DRIVE_DOCUMENTS = [
  { path: '/Documents/Meeting notes', mimeType: 'application/vnd.google-apps.document', exportSize: 23_456 },
  {
    path: '/Projects/Q3 launch/Budget 2024',
    mimeType: 'application/vnd.google-apps.spreadsheet',
    exportSize: 41_000,
  },
  {
    path: '/Projects/Q3 launch/Launch plan',
    mimeType: 'application/vnd.google-apps.document',
    exportSize: 18_200,
  },
];

const ONEDRIVE: FolderPlan[] = [
  ['/', 2, ['doc'], 2024],
  ['/Documents/Work', 10, ['doc', 'text'], 2024],
  ['/Documents/Ölgemälde Skizzen', 6, ['photo'], 2023],
  ['/Pictures/Camera Roll', 25, ['photo'], 2024],
  ['/Desktop', 5, ['text'], 2024],
  ['/Attachments', 8, ['doc'], 2023],
];

const DROPBOX: FolderPlan[] = [];
const DROPBOX_WELCOME = { path: '/Get Started with Dropbox.pdf', size: 245_678 };

/** Expands folder plans into seed entries: folders before their contents, unique names per folder. */
export function buildTree(plans: FolderPlan[], seed: number): SeedEntry[] {
  const rand = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const entries: SeedEntry[] = [];
  const folders = new Set<string>(['/']);
  const addFolder = (path: string, year: number) => {
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    if (!folders.has(parent)) addFolder(parent, year);
    if (folders.has(path)) return;
    folders.add(path);
    entries.push({ path, type: 'folder', size: 0, modifiedAt: dateIn(year, rand()) });
  };
  for (const [folder, count, kinds, year] of plans) {
    addFolder(folder, year);
    const taken = new Set<string>();
    for (let i = 0; i < count; i++) {
      const kind = KINDS[pick(kinds)];
      const base = pick(kind.names);
      let name = '';
      for (let n = 1 + Math.floor(rand() * 40); !name || taken.has(name.toLowerCase()); n++) {
        name = base === 'IMG' || base === 'DSC' ? `${base}_${4000 + n * 7}` : `${base} ${n}`;
        name += pick(kind.ext);
      }
      taken.add(name.toLowerCase());
      const size = Math.round(Math.exp(Math.log(kind.min) + rand() * Math.log(kind.max / kind.min)));
      const dir = folder === '/' ? '' : folder;
      entries.push({ path: `${dir}/${name}`, type: 'file', size, modifiedAt: dateIn(year, rand()) });
    }
  }
  return entries;
}

const dateIn = (year: number, r: number): string =>
  new Date(Date.UTC(year, 0, 1) + Math.floor(r * 364 * 86_400) * 1000).toISOString();

/** What each demo emulator is seeded with (a DriveSeedOptions for Google Drive); a service without samples starts empty. */
export function demoSeed(service: ServiceName): SeedOptions {
  switch (service) {
    case 'google_drive': {
      const tree = buildTree(DRIVE, 3101);
      tree.push({ ...DRIVE_LARGE, type: 'file', modifiedAt: '2023-08-19T18:42:00.000Z' });
      const options: DriveSeedOptions = { files: 0, tree, documents: DRIVE_DOCUMENTS };
      return options;
    }
    case 'onedrive':
      return { files: 0, tree: buildTree(ONEDRIVE, 3102) };
    case 'dropbox':
      return {
        files: 0,
        tree: [
          ...buildTree(DROPBOX, 3103),
          { ...DROPBOX_WELCOME, type: 'file', modifiedAt: '2024-01-02T09:00:00.000Z' },
        ],
      };
    default:
      return { files: 0, tree: [] };
  }
}

export interface SampleSize {
  files: number;
  folders: number;
  bytes: number;
  /** Google Docs/Sheets: not among `files`, they have no bytes of their own. */
  documents: number;
}

export function describeSeed(opts: SeedOptions): SampleSize {
  const tree = opts.tree ?? [];
  const files = tree.filter((e) => e.type === 'file');
  return {
    files: files.length,
    folders: tree.length - files.length,
    bytes: files.reduce((sum, e) => sum + e.size, 0),
    documents: (opts as DriveSeedOptions).documents?.length ?? 0,
  };
}
