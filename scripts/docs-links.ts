// `npm run docs:check` (second half): every relative link in README.md and docs/**/*.md must point at a
// file or folder of the repository, an anchor into a Markdown file must match one of its headings (GitHub's
// slugs), and every page under docs/ must be reachable by links from README.md or docs/README.md.
// External links are not fetched. Prints each problem as file:line and exits 1 if there is any.
import fs from 'node:fs';
import path from 'node:path';

export interface Link {
  line: number;
  target: string;
}

export interface ParsedPage {
  links: Link[];
  /** Anchors the page defines: heading slugs, and ids of HTML anchors. */
  anchors: Set<string>;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const DEFINITION = /^ {0,3}\[([^\]]+)\]:\s*(<[^>]*>|\S+)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

/** A reference label as Markdown matches it: case-insensitive, inner white space collapsed. */
const label = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/** Inline code spans blanked out (same length), so nothing inside them reads as a link. */
function withoutCode(line: string): string {
  return line.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, (m) => ' '.repeat(m.length));
}

/** The text a heading renders to: code spans keep their content, links their text, emphasis goes. */
function headingText(raw: string): string {
  return raw
    .split(/(`+[^`]*`+)/)
    .map((part, i) => {
      if (i % 2 === 1) return part.replace(/^`+|`+$/g, '');
      return part
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/!?\[([^\]]*)\]\[[^\]]*\]/g, '$1')
        .replace(/<[^>]+>/g, '')
        .replace(/(^|[^\p{L}\p{N}])_+([^_]+?)_+(?=[^\p{L}\p{N}]|$)/gu, '$1$2');
    })
    .join('');
}

/** GitHub's anchor for a heading: lower case, punctuation but "-" and "_" removed, spaces to "-". */
export function slug(text: string): string {
  return headingText(text)
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The links and anchors of one Markdown page (code blocks and code spans are skipped). */
export function parsePage(text: string): ParsedPage {
  const lines = text.split('\n');
  const links: Link[] = [];
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const definitions = new Map<string, Link>();
  const references: { line: number; name: string }[] = [];
  let fence: string | null = null;

  lines.forEach((raw, index) => {
    const line = index + 1;
    const open = FENCE.exec(raw);
    if (fence) {
      if (open && open[1]!.startsWith(fence)) fence = null;
      return;
    }
    if (open) {
      fence = open[1]!;
      return;
    }
    const heading = HEADING.exec(raw);
    if (heading) {
      const base = slug(heading[2]!);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const m of raw.matchAll(/<a\s[^>]*(?:name|id)="([^"]+)"/g)) anchors.add(m[1]!);

    const definition = DEFINITION.exec(raw);
    if (definition) {
      definitions.set(label(definition[1]!), { line, target: definition[2]!.replace(/^<|>$/g, '') });
      return;
    }
    const plain = withoutCode(raw.replace(/<!--.*?-->/g, ''));
    // Inline links and images: [text](target "title") or [text](<target with spaces>).
    for (const m of plain.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^)\s]*)(?:\s+["'(][^)]*)?\)/g)) {
      links.push({ line, target: m[1]!.replace(/^<|>$/g, '') });
    }
    // Reference links: [text][name] and [name][].
    for (const m of plain.matchAll(/\[((?:[^\]\\]|\\.)*)\]\[([^\]]*)\]/g)) {
      references.push({ line, name: label(m[2] || m[1]!) });
    }
  });

  for (const ref of references) {
    const definition = definitions.get(ref.name);
    links.push(
      definition
        ? { line: ref.line, target: definition.target }
        : { line: ref.line, target: `[${ref.name}]` },
    );
  }
  for (const definition of definitions.values()) links.push(definition);
  return { links, anchors };
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

export interface Problem {
  file: string;
  line: number;
  message: string;
}

/** Checks `files` (repository-relative Markdown paths); `entries` are where reachability starts. */
export function checkLinks(root: string, files: string[], entries: string[]): Problem[] {
  const problems: Problem[] = [];
  const pages = new Map<string, ParsedPage>();
  const page = (file: string): ParsedPage => {
    let parsed = pages.get(file);
    if (!parsed) {
      parsed = parsePage(fs.readFileSync(path.join(root, file), 'utf8'));
      pages.set(file, parsed);
    }
    return parsed;
  };
  const edges = new Map<string, Set<string>>();

  for (const file of files) {
    const out = new Set<string>();
    edges.set(file, out);
    for (const { line, target } of page(file).links) {
      const report = (message: string) => problems.push({ file, line, message });
      if (target.startsWith('[')) {
        report(`reference ${target} has no definition`);
        continue;
      }
      if (!target || isExternal(target)) continue;
      const [withoutQuery = ''] = target.split('?');
      const hash = withoutQuery.indexOf('#');
      const pathPart = hash < 0 ? withoutQuery : withoutQuery.slice(0, hash);
      const anchor = hash < 0 ? null : withoutQuery.slice(hash + 1);
      let decoded: string;
      try {
        decoded = decodeURIComponent(pathPart);
      } catch {
        report(`link "${target}" is not a valid URL`);
        continue;
      }
      const resolved = !decoded
        ? file
        : path.normalize(decoded.startsWith('/') ? decoded.slice(1) : path.join(path.dirname(file), decoded));
      if (resolved === '..' || resolved.startsWith(`..${path.sep}`) || path.isAbsolute(resolved)) {
        report(`link "${target}" points outside the repository`);
        continue;
      }
      const absolute = path.join(root, resolved);
      if (!fs.existsSync(absolute)) {
        report(`link "${target}": ${resolved} does not exist`);
        continue;
      }
      const isFolder = fs.statSync(absolute).isDirectory();
      const markdown = isFolder ? path.join(resolved, 'README.md') : resolved;
      if (markdown.endsWith('.md') && fs.existsSync(path.join(root, markdown))) out.add(markdown);
      if (anchor !== null && !isFolder && resolved.endsWith('.md')) {
        let wanted = anchor;
        try {
          wanted = decodeURIComponent(anchor);
        } catch {
          // Compared as written.
        }
        if (!page(resolved).anchors.has(wanted))
          report(`link "${target}": ${resolved} has no heading #${wanted}`);
      }
    }
  }

  const reached = new Set<string>();
  const queue = entries.filter((e) => edges.has(e));
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (reached.has(next)) continue;
    reached.add(next);
    for (const target of edges.get(next) ?? []) if (!reached.has(target)) queue.push(target);
  }
  for (const file of files) {
    if (file.startsWith(`docs${path.sep}`) && !reached.has(file)) {
      problems.push({ file, line: 1, message: `not reachable by links from ${entries.join(' or ')}` });
    }
  }
  return problems;
}

/** Every *.md below `dir` (repository-relative), sorted. */
function markdownBelow(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.md')) out.push(child);
    }
  };
  if (fs.existsSync(path.join(root, dir))) walk(dir);
  return out.sort();
}

function main(): number {
  const root = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
  const entries = ['README.md', path.join('docs', 'README.md')];
  const files = ['README.md', ...markdownBelow(root, 'docs')];
  const problems = checkLinks(root, files, entries);
  for (const p of problems) console.error(`${p.file}:${p.line}: ${p.message}`);
  if (problems.length > 0) {
    console.error(`docs-links: ${problems.length} problem(s) in ${files.length} files`);
    return 1;
  }
  console.log(`docs-links: ${files.length} files, every link resolves and every page is reachable`);
  return 0;
}

if (require.main === module) process.exitCode = main();
