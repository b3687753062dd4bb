// The include/exclude glob patterns: what each one matches, which patterns are refused and why, and
// the per-folder decisions exploring takes from them (which folders it lists at all). Patterns come
// from API callers: matching must take polynomial time whatever they hold (no backtracking).
import { Glob, GlobError, globProblem, MAX_EXPANDED, MAX_WILDCARDS } from '../../common/globs';
import { MATCH_STEPS, PathFilter } from '../../common/path-filter';

const matches = (pattern: string, path: string, type: 'file' | 'folder' = 'file') =>
  new Glob(pattern).matches(path, type);

describe('Glob.matches', () => {
  it.each([
    // A pattern without "/" matches a name at any depth.
    ['*.jpg', 'a.jpg', true],
    ['*.jpg', 'x/y/a.jpg', true],
    ['*.jpg', 'x/a.jpeg', false],
    ['*.jpg', '.jpg', true],
    ['notes.txt', 'deep/down/notes.txt', true],
    ['notes.txt', 'deep/notes.txt.bak', false],
    // With a "/" (or a leading one) it is anchored at the source folder.
    ['photos/*.jpg', 'photos/a.jpg', true],
    ['photos/*.jpg', 'x/photos/a.jpg', false],
    ['photos/*.jpg', 'photos/2020/a.jpg', false],
    ['/notes.txt', 'notes.txt', true],
    ['/notes.txt', 'a/notes.txt', false],
    // "**" as a whole segment: any number of folders, none included.
    ['photos/**', 'photos/a.jpg', true],
    ['photos/**', 'photos/2020/06/a.jpg', true],
    ['photos/**', 'photosx/a.jpg', false],
    ['**/b.txt', 'b.txt', true],
    ['**/b.txt', 'a/c/b.txt', true],
    ['a/**/b.txt', 'a/b.txt', true],
    ['a/**/b.txt', 'a/x/y/b.txt', true],
    ['a/**/b.txt', 'x/a/b.txt', false],
    ['a/**/*/c', 'a/b/c', true],
    ['a/**/*/c', 'a/c', false],
    ['**', 'any/thing/at/all', true],
    // "**" inside a name acts like "*": it does not cross folders.
    ['a**.txt', 'abc.txt', true],
    ['/a**.txt', 'a/b.txt', false],
    // "*" and "?" stay within one name.
    ['a*', 'a/b', false],
    ['/*/x', 'a/x', true],
    ['/*/x', 'a/b/x', false],
    ['?.md', 'a.md', true],
    ['?.md', 'ab.md', false],
    ['?.md', 'é.md', true],
    ['?.md', '😀.md', true],
    // Character classes.
    ['[abc].txt', 'b.txt', true],
    ['[abc].txt', 'd.txt', false],
    ['[a-c]1', 'b1', true],
    ['[!a-c]1', 'b1', false],
    ['[!a-c]1', 'z1', true],
    ['[^a-c]1', 'z1', true],
    ['[]]', ']', true],
    ['x[-]y', 'x-y', true],
    // Alternatives, nested, and holding "/".
    ['*.{jpg,png}', 'a/b.png', true],
    ['*.{jpg,png}', 'a/b.gif', false],
    ['{a,b{c,d}}.txt', 'bd.txt', true],
    ['{a,b{c,d}}.txt', 'b.txt', false],
    ['{docs/*.md,*.txt}', 'docs/r.md', true],
    ['{docs/*.md,*.txt}', 'x/docs/r.md', false],
    ['{docs/*.md,*.txt}', 'x/y.txt', true],
    ['file{,.bak}', 'file', true],
    // Escapes and characters that mean something in regular expressions.
    ['\\*.txt', '*.txt', true],
    ['\\*.txt', 'a.txt', false],
    ['a+b (1).txt', 'a+b (1).txt', true],
    ['$x^.txt', '$x^.txt', true],
    // Case-sensitive.
    ['*.JPG', 'a.jpg', false],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
  });

  it('matches folders with a trailing "/", files never', () => {
    expect(matches('node_modules/', 'app/node_modules', 'folder')).toBe(true);
    expect(matches('node_modules/', 'app/node_modules', 'file')).toBe(false);
    expect(matches('/build/', 'build', 'folder')).toBe(true);
    expect(matches('/build/', 'x/build', 'folder')).toBe(false);
    expect(matches('build', 'x/build', 'folder')).toBe(true);
  });
});

describe('Glob.matches with patterns built to be slow', () => {
  const a = (n: number) => 'a'.repeat(n);
  const stars = (n: number, tail = '') => '*a'.repeat(n) + tail;

  it('answers at once where a backtracking matcher runs for hours', () => {
    // Backtracking takes seconds here (as the regular expressions this replaces did), for ever below.
    let t0 = performance.now();
    expect(matches(stars(5), a(150) + 'b')).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1_000);
    t0 = performance.now();
    expect(matches(stars(40), a(5_000) + 'b')).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  const short = (s: string) => (s.length > 30 ? `${s.slice(0, 12)}… (${s.length} characters)` : s);

  const cases: [string, string, boolean][] = [
    // "*a" 40 times: at least 40 "a", the last one ending the name.
    [stars(40), a(5_000) + 'b', false],
    [stars(40), a(5_000), true],
    [stars(40), a(40), true],
    [stars(40), a(39), false],
    [stars(40, '*'), a(5_000) + 'b', true],
    [stars(40, 'b'), a(5_000) + 'b', true],
    [stars(40, 'b'), a(39) + 'b', false],
    [stars(32, '*'), 'ba'.repeat(32), true],
    [stars(32, '*'), 'ba'.repeat(31) + 'b', false],
    [`/${stars(30)}`, `${a(2_000)}/${a(2_000)}`, false],
    [`**/${stars(30)}`, `${a(2_000)}/${a(2_000)}`, true],
    [`${'*?'.repeat(20)}x`, `${a(19)}x`, false],
    [`${'*?'.repeat(20)}x`, `${a(20)}x`, true],
    [`${'*?'.repeat(20)}x`, `${a(4_000)}x`, true],
    [`${'*?'.repeat(20)}x`, `${a(4_000)}xa`, false],
    [`*${a(999)}b`, a(5_000), false],
    [`*${a(999)}b`, a(5_000) + 'b', true],
    ['*[!a]*', a(5_000), false],
    ['*[!a]*', a(2_500) + 'b' + a(2_500), true],
    ['*😀?😀*', 'x'.repeat(3_000) + '😀é😀', true],
    ['*😀?😀*', 'x'.repeat(3_000) + '😀éé😀', false],
    [`*{${a(100)}b,${a(100)}c}*`, a(5_000) + 'c', true],
  ];

  it.each(
    cases.map(([pattern, path, expected]) => [short(pattern), short(path), expected, pattern, path] as const),
  )('%#: %s against %s: %s', (_pattern, _path, expected, pattern, path) => {
    const t0 = performance.now();
    expect(matches(pattern, path)).toBe(expected);
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('agrees with the regular expressions it replaced on short names', () => {
    // Each piece and what it meant as a regular expression ("u": code points); pieces and names at random.
    const pieces: [string, string][] = [
      ['a', 'a'],
      ['b', 'b'],
      ['*', '[^/]*'],
      ['?', '[^/]'],
      ['[ab]', '[ab]'],
      ['[!a]', '[^a]'],
      ['[a-c]', '[a-c]'],
      ['[a-b-😀]', '[a-b\\-😀]'],
      ['\\*', '\\*'],
      ['😀', '😀'],
      ['é', 'é'],
      ['-', '-'],
    ];
    const chars = ['a', 'b', 'c', '😀', 'é', '-', '*'];
    let seed = 7;
    const random = (n: number) => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) & 0x7fffffff) % n;
    for (let i = 0; i < 3_000; i++) {
      let pattern = '';
      let source = '';
      for (let k = 1 + random(6); k > 0; k--) {
        const [piece, meaning] = pieces[random(pieces.length)]!;
        pattern += piece;
        source += meaning;
      }
      const name = Array.from({ length: random(7) }, () => chars[random(chars.length)]).join('') || 'a';
      const expected = new RegExp(`^${source}$`, 'u').test(name);
      expect([pattern, name, matches(`/${pattern}`, name)]).toEqual([pattern, name, expected]);
    }
  });

  it('bounds the steps of one decision, failing with the reason past them', () => {
    // 64 alternatives of 146 characters, each almost matching a long name at each of its characters.
    const slow = `*${'{[ab],[ac]}'.repeat(6)}${a(120)}c`;
    expect(globProblem(slow)).toBeNull();
    const filter = new PathFilter([slow]);
    const t0 = performance.now();
    expect(() => filter.within('').file(a(5_000))).toThrow(
      new GlobError(
        `Matching "${a(100)}…" against the include/exclude patterns takes more than ` +
          `${MATCH_STEPS.toLocaleString('en-US')} steps: use fewer or simpler patterns ` +
          '(fewer {…} alternatives, shorter text after a "*")',
      ),
    );
    expect(performance.now() - t0).toBeLessThan(1_000);
    // The same patterns against ordinary names decide as usual.
    expect(filter.within('photos').file(`${a(126)}c`)).toBe(true);
    expect(filter.within('photos').file(`${a(125)}c`)).toBe(false);
    expect(filter.within('photos').file('b.jpg')).toBe(false);
  });
});

describe('Glob below a folder', () => {
  it('knows when every entry below a folder matches', () => {
    expect(new Glob('photos/**').matchesAllBelow('photos')).toBe(true);
    expect(new Glob('photos/**').matchesAllBelow('photos/2020')).toBe(true);
    expect(new Glob('photos/**').matchesAllBelow('')).toBe(false);
    expect(new Glob('photos/**/*.jpg').matchesAllBelow('photos')).toBe(false);
    expect(new Glob('**').matchesAllBelow('')).toBe(true);
    expect(new Glob('*.jpg').matchesAllBelow('a')).toBe(false);
  });

  it('knows when nothing below a folder can match', () => {
    const g = new Glob('photos/2020/*.jpg');
    expect(g.mayMatchBelow('')).toBe(true);
    expect(g.mayMatchBelow('photos')).toBe(true);
    expect(g.mayMatchBelow('photos/2020')).toBe(true);
    expect(g.mayMatchBelow('photos/2021')).toBe(false);
    expect(g.mayMatchBelow('docs')).toBe(false);
    expect(g.mayMatchBelow('photos/2020/x')).toBe(false);
    expect(new Glob('*.jpg').mayMatchBelow('any/folder')).toBe(true);
    expect(new Glob('a/**/z').mayMatchBelow('a/b/c/d')).toBe(true);
    expect(new Glob('a/**/z').mayMatchBelow('b')).toBe(false);
  });
});

describe('globProblem', () => {
  it.each([
    ['a{b', 'a "{" has no closing "}"'],
    ['a}b', 'the "}" at position 2 has no opening "{"'],
    ['[ab', 'the "[" at position 1 has no closing "]"'],
    ['a//b', 'it has an empty folder name ("//")'],
    ['', 'it is empty'],
    ['/', 'it is empty'],
    ['[z-a]', '"[z-a]" has an invalid [...] range'],
    ['a\\', 'a "\\" at the end escapes nothing'],
    ['../x', '"." and ".." are not supported'],
    ['{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}', 'it expands to more than 256 {…} alternatives'],
    [
      `{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}${'x'.repeat(32)}`,
      'its {…} alternatives come to more than 10,000 characters',
    ],
    [`${'x'.repeat(900)}{a,b}{c,d}{e,f}{g,h}`, 'its {…} alternatives come to more than 10,000 characters'],
  ])('refuses %j: %s', (pattern, problem) => {
    expect(globProblem(pattern)).toBe(problem);
  });

  it.each([
    '*.jpg',
    'photos/**',
    '{a,{b,c}}x',
    'a[]]b',
    '/x/',
    '**',
    '[!.]*',
    // 256 alternatives of 39 characters: 9,984 in all.
    `{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}${'x'.repeat(31)}`,
    'x'.repeat(1_000),
  ])('accepts %j', (pattern) => {
    expect(globProblem(pattern)).toBeNull();
  });

  it(`takes at most ${MAX_WILDCARDS} "*" wildcards in a pattern`, () => {
    expect([MAX_WILDCARDS, MAX_EXPANDED]).toEqual([32, 10_000]);
    expect(globProblem('*a'.repeat(32))).toBeNull();
    expect(globProblem('*a'.repeat(33))).toBe('it has 33 "*" wildcards, more than the 32 allowed');
    expect(globProblem(`{${'*a,'.repeat(32)}*b}`)).toBe('it has 33 "*" wildcards, more than the 32 allowed');
    // A run ("**") is one; escaped ones and those in [...] are not wildcards.
    expect(globProblem('**/x*'.repeat(16))).toBeNull();
    expect(globProblem('***/x'.repeat(32) + '*')).toBe('it has 33 "*" wildcards, more than the 32 allowed');
    expect(globProblem(`${'*a'.repeat(32)}\\*[*]`)).toBeNull();
    // A stored pattern over the cap (taken before it existed) still matches.
    expect(matches('*a'.repeat(33), 'a'.repeat(33))).toBe(true);
  });
});

describe('PathFilter', () => {
  const tree = [
    'a.txt',
    'b.jpg',
    'photos/1.jpg',
    'photos/1.raw',
    'photos/2020/2.jpg',
    'docs/r.md',
    'docs/cache/c.jpg',
    'node_modules/m/index.js',
    'app/node_modules/n.js',
    'app/main.ts',
  ];
  /** The files an exploration with this filter discovers (walking only the folders it lists). */
  function discovered(filter: PathFilter): string[] {
    const found: string[] = [];
    const visit = (folder: string) => {
      const prefix = folder === '' ? '' : `${folder}/`;
      const scope = filter.within(folder);
      const children = new Set<string>();
      for (const p of tree.filter((t) => t.startsWith(prefix))) {
        const [name, ...rest] = p.slice(prefix.length).split('/');
        if (rest.length === 0) {
          if (scope.file(name)) found.push(p);
        } else children.add(name);
      }
      for (const name of children) if (scope.folder(name)) visit(prefix + name);
    };
    visit('');
    return found.sort();
  }

  it('keeps everything without patterns', () => {
    const filter = new PathFilter();
    expect(filter.active).toBe(false);
    expect(discovered(filter)).toEqual([...tree].sort());
  });

  it('leaves out excluded files, and excluded folders with everything in them', () => {
    expect(discovered(new PathFilter([], ['node_modules', '*.raw', 'docs/cache/']))).toEqual([
      'a.txt',
      'app/main.ts',
      'b.jpg',
      'docs/r.md',
      'photos/1.jpg',
      'photos/2020/2.jpg',
    ]);
    const scope = new PathFilter([], ['docs/**']).within('');
    expect(scope.folder('docs')).toBe(false);
    expect(scope.folder('photos')).toBe(true);
  });

  it('copies only included files, and does not list folders where nothing can be included', () => {
    expect(discovered(new PathFilter(['*.jpg']))).toEqual([
      'b.jpg',
      'docs/cache/c.jpg',
      'photos/1.jpg',
      'photos/2020/2.jpg',
    ]);
    const filter = new PathFilter(['photos/*.jpg']);
    expect(discovered(filter)).toEqual(['photos/1.jpg']);
    expect(filter.within('').folder('docs')).toBe(false);
    expect(filter.within('photos').folder('2020')).toBe(false);
  });

  it('includes a folder an include pattern matches with everything in it', () => {
    expect(discovered(new PathFilter(['docs']))).toEqual(['docs/cache/c.jpg', 'docs/r.md']);
    expect(discovered(new PathFilter(['photos/**'], ['*.raw']))).toEqual([
      'photos/1.jpg',
      'photos/2020/2.jpg',
    ]);
  });

  it('lets exclude win over include', () => {
    expect(discovered(new PathFilter(['*.jpg'], ['photos/2020/', 'docs']))).toEqual([
      'b.jpg',
      'photos/1.jpg',
    ]);
  });
});
