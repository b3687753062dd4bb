// Name rules per service and the encoding a migration applies with invalid_names: "encode"; the
// OneDrive connector and the OneDrive emulator must refuse exactly the same names.
import { place, destinationFolder } from '../../activities/listing/naming';
import { SERVICE_NAMES } from '../../connectors';
import { encodeName, nameProblem } from '../../connectors/names';
import { allowedName } from '../../connectors/onedrive/entries';
import { nameProblem as emulatorNameProblem } from '../../emulators/onedrive/address';
import type { NamingRules } from '../../contract';

const ONEDRIVE_REFUSED = [
  'a"b',
  'star*',
  'x:y',
  '<tag>',
  'what?',
  'back\\slash',
  'pipe|',
  'a/b',
  '',
  '   ',
  '\t',
  '.lock',
  'CON',
  'con',
  'PRN',
  'AUX',
  'Nul',
  'COM0',
  'COM9',
  'lpt1',
  'LPT9',
  'desktop.ini',
  'Desktop.INI',
  '~$budget.xlsx',
  'my_vti_folder',
  '_VTI_',
  ' leading space',
  'trailing space ',
  'trailing period.',
  'x'.repeat(401),
];
const ONEDRIVE_ALLOWED = [
  'report.txt',
  'Résumé final',
  'データ 2024',
  'emoji 🎉',
  'CON.txt',
  'CONSOLE',
  'COM10',
  'lock',
  'x.lock',
  'a~$b',
  '~budget',
  '_vti',
  'inner space',
  'a. b',
  '.hidden',
  'forms',
  'x'.repeat(400),
];

describe('nameProblem', () => {
  it.each(ONEDRIVE_REFUSED)('OneDrive refuses %j, and so do its connector and emulator', (name) => {
    expect(nameProblem('onedrive', name)).toEqual(expect.any(String));
    expect(allowedName(name)).toBe(false);
    expect(emulatorNameProblem(name)).toEqual(expect.any(String));
  });

  it.each(ONEDRIVE_ALLOWED)('OneDrive takes %j, and so do its connector and emulator', (name) => {
    expect(nameProblem('onedrive', name)).toBeNull();
    expect(allowedName(name)).toBe(true);
    expect(emulatorNameProblem(name)).toBeNull();
  });

  it('says which rule a name breaks', () => {
    expect(nameProblem('onedrive', 'x:y')).toBe('names cannot contain " * : < > ? / \\ |');
    expect(nameProblem('onedrive', 'aux')).toMatch(/^"aux" is a reserved name/);
    expect(nameProblem('onedrive', '~$x')).toBe('names cannot start with "~$"');
    expect(nameProblem('onedrive', 'a_vti_b')).toBe('names cannot contain "_vti_"');
    expect(nameProblem('onedrive', ' ')).toBe('names cannot be empty or only white space');
    expect(nameProblem('onedrive', ' x')).toBe('names cannot start or end with a space');
    expect(nameProblem('onedrive', 'x.')).toBe('names cannot end with a period');
  });

  it('refuses "forms" in the root folder only', () => {
    expect(nameProblem('onedrive', 'forms', true)).toBe('"forms" is reserved in the root folder');
    expect(nameProblem('onedrive', 'Forms', true)).toEqual(expect.any(String));
    expect(nameProblem('onedrive', 'forms', false)).toBeNull();
    expect(encodeName('onedrive', 'forms', true)).toBe('ｆorms');
    expect(encodeName('onedrive', 'forms', false)).toBe('forms');
  });

  it('declares for the other services only what they truly refuse', () => {
    for (const service of ['local', 'google_drive', 'dropbox'] as const) {
      for (const name of ['x:y', 'what?', 'CON', 'desktop.ini', '~$x', '_vti_', ' ', 'a"b|c']) {
        expect({ service, name, problem: nameProblem(service, name) }).toEqual({
          service,
          name,
          problem: null,
        });
      }
      expect(nameProblem(service, 'a/b')).toBe('names cannot contain "/"');
      expect(nameProblem(service, 'a\0b')).toBe('names cannot contain NUL characters');
      expect(nameProblem(service, '..')).toBe('".." cannot be a name');
      expect(nameProblem(service, '')).toBe('names cannot be empty');
    }
  });
});

describe('encodeName', () => {
  it.each([
    ['a"b', 'a＂b'],
    ['star*', 'star＊'],
    ['x:y', 'x：y'],
    ['<tag>', '＜tag＞'],
    ['what?', 'what？'],
    ['back\\slash', 'back＼slash'],
    ['pipe|', 'pipe｜'],
    ['a/b', 'a／b'],
    ['CON', 'ＣON'],
    ['nul', 'ｎul'],
    ['LPT3', 'ＬPT3'],
    ['.lock', '．lock'],
    ['desktop.ini', 'ｄesktop.ini'],
    ['~$budget.xlsx', '～$budget.xlsx'],
    ['my_vti_folder', 'my＿vti_folder'],
    ['_vti__vti_', '＿vti_＿vti_'],
    ['  ', '␠␠'],
    ['', '␠'],
    ['a:b?c*', 'a：b？c＊'],
    [' leading', '␠leading'],
    ['trailing ', 'trailing␠'],
    ['trailing.', 'trailing．'],
    [' both. ', '␠both.␠'],
  ])('OneDrive: %j → %j', (name, encoded) => {
    expect(encodeName('onedrive', name)).toBe(encoded);
    expect(nameProblem('onedrive', encoded)).toBeNull();
    expect(emulatorNameProblem(encoded)).toBeNull();
  });

  it('never changes a name the service takes', () => {
    for (const service of SERVICE_NAMES) {
      for (const name of [...ONEDRIVE_ALLOWED, 'x:y', 'CON']) {
        if (nameProblem(service, name) === null) expect(encodeName(service, name)).toBe(name);
      }
    }
  });

  it('cannot shorten a name that is too long: it stays refused', () => {
    const long = 'x'.repeat(401);
    expect(nameProblem('onedrive', encodeName('onedrive', long))).toMatch(/longer than 400/);
  });

  it('maps only the path grammar for the other services', () => {
    expect(encodeName('dropbox', 'a/b')).toBe('a／b');
    expect(encodeName('local', 'a\0b')).toBe('a␀b');
    expect(encodeName('google_drive', '..')).toBe('．．');
    expect(encodeName('dropbox', 'x:y')).toBe('x:y');
  });
});

describe('placing entries at the destination', () => {
  const rules = (over: Partial<NamingRules> = {}): NamingRules => ({
    sourceRoot: '/src',
    destinationRoot: '/dst',
    destinationService: 'onedrive',
    googleDocs: 'export',
    invalidNames: 'fail',
    ...over,
  });
  const file = { type: 'file' as const, mimeType: 'text/plain' };
  const doc = (name: string) => ({
    name,
    type: 'file' as const,
    mimeType: 'application/vnd.google-apps.document',
    export: { extension: 'docx', mimeType: 'application/x-docx' },
  });

  it('adds the export extension, once', () => {
    expect(place(rules(), doc('Notes'), '/dst')).toEqual({ name: 'Notes.docx', note: 'Exported as DOCX' });
    expect(place(rules(), doc('Notes.DOCX'), '/dst')).toEqual({ name: 'Notes.DOCX' });
    expect(place(rules({ invalidNames: 'encode' }), doc('Q1: plan'), '/dst')).toEqual({
      name: 'Q1： plan.docx',
      note: 'Exported as DOCX; OneDrive does not allow the name "Q1: plan.docx" (names cannot contain " * : < > ? / \\ |): encoded',
    });
  });

  it('says who refuses a name: the destination, or the paths connectors are driven by', () => {
    const drive = rules({ destinationService: 'google_drive' });
    expect(place(drive, { ...file, name: 'a/b.txt' }, '/dst')).toEqual({
      fail:
        'The name "a/b.txt" cannot be written to Google Drive by path: names cannot contain "/". ' +
        'Set the migration option invalid_names: "encode" to copy it under a look-alike name.',
    });
    expect(place(rules(), { ...file, name: 'draft.' }, '/dst')).toEqual({
      fail:
        'OneDrive does not allow the name "draft.": names cannot end with a period. ' +
        'Set the migration option invalid_names: "encode" to copy it under a look-alike name.',
    });
  });

  it('skips documents that cannot be exported, or all of them under google_docs: "skip"', () => {
    const form = {
      name: 'Survey',
      type: 'file' as const,
      mimeType: 'application/vnd.google-apps.form',
      export: null,
    };
    expect(place(rules(), form, '/dst')).toEqual({
      skip: 'Google documents of type application/vnd.google-apps.form cannot be exported',
    });
    expect(place(rules({ googleDocs: 'skip' }), doc('Notes'), '/dst')).toEqual({
      skip: 'Google Docs, Sheets and Slides are not copied (google_docs: "skip")',
    });
  });

  it('fails refused names with the rule and the option to set, or encodes them', () => {
    expect(place(rules(), { ...file, name: 'x:y' }, '/dst')).toEqual({
      fail:
        'OneDrive does not allow the name "x:y": names cannot contain " * : < > ? / \\ |. ' +
        'Set the migration option invalid_names: "encode" to copy it under a look-alike name.',
    });
    expect(place(rules(), { type: 'folder', mimeType: null, name: 'CON' }, '/dst')).toEqual({
      fail: expect.stringMatching(
        /^OneDrive does not allow the name "CON": .*Nothing in this folder was copied\.$/,
      ),
    });
    expect(place(rules({ invalidNames: 'encode' }), { ...file, name: 'x:y' }, '/dst')).toEqual({
      name: 'x：y',
      note: expect.stringMatching(
        /^OneDrive does not allow the name "x:y" \(names cannot contain .*\): encoded$/,
      ),
    });
    expect(place(rules({ destinationService: 'dropbox' }), { ...file, name: 'x:y' }, '/dst')).toEqual({
      name: 'x:y',
    });
  });

  it('maps every folder on the way the same as the folder itself', () => {
    expect(destinationFolder(rules({ invalidNames: 'encode' }), '/src/a:b/CON/c')).toBe('/dst/a：b/ＣON/c');
    expect(destinationFolder(rules({ sourceRoot: '/', destinationRoot: '/' }), '/x')).toBe('/x');
    expect(destinationFolder(rules(), '/src')).toBe('/dst');
  });
});
