/**
 * Relative links in Markdown files, checked as GitHub renders them: the target file (or directory) exists and, for a
 * `#anchor`, the target file has a heading with that slug. Markdown is parsed by markdown-it (CommonMark, so links in
 * code spans and code blocks are not links); heading slugs come from github-slugger, GitHub's own algorithm (lowercase,
 * punctuation but hyphens removed, spaces to hyphens, a repeated heading gets `-1`, `-2`, ...).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, relative, resolve } from 'node:path';
import GithubSlugger from 'github-slugger';
import MarkdownIt from 'markdown-it';

export interface MarkdownLink {
  /** The file the link is written in, absolute. */
  readonly file: string;
  /** 1-based line of the paragraph, table row or heading holding the link. */
  readonly line: number;
  readonly href: string;
}

const markdown = new MarkdownIt({ html: true });

/** A link that leaves the repository's files: `https:`, `mailto:`, `//host`. */
const isExternal = (href: string) => /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//');

/** The rendered text of a heading (what GitHub slugs): text and code spans, without markup or HTML tags. */
const headingText = (inline: MarkdownIt.Token) =>
  (inline.children ?? [])
    .filter((child) => child.type === 'text' || child.type === 'code_inline')
    .map((child) => child.content)
    .join('');

/** The anchors (heading slugs) of one Markdown source, in GitHub's form and order. */
export function headingSlugs(source: string): string[] {
  const slugger = new GithubSlugger();
  const tokens = markdown.parse(source, {});
  return tokens.flatMap((token, index) => (token.type === 'heading_open' ? [slugger.slug(headingText(tokens[index + 1]!))] : []));
}

/** Every relative link and image of a Markdown file (links to other sites are left out). */
export function relativeLinks(file: string): MarkdownLink[] {
  let line = 1; // inline tokens in table cells carry no line: the row's does
  return markdown.parse(readFileSync(file, 'utf8'), {}).flatMap((token) => {
    if (token.map) line = token.map[0] + 1;
    return (token.type === 'inline' ? (token.children ?? []) : [])
      .map((child) => child.attrGet(child.type === 'image' ? 'src' : 'href'))
      .filter((href): href is string => typeof href === 'string' && !isExternal(href))
      .map((href) => ({ file, line, href }));
  });
}

const slugCache = new Map<string, string[]>();
const slugsOf = (file: string) => {
  if (!slugCache.has(file)) slugCache.set(file, headingSlugs(readFileSync(file, 'utf8')));
  return slugCache.get(file)!;
};

/** Why a link does not resolve, or undefined when it does. */
export function brokenReason(link: MarkdownLink): string | undefined {
  const [path, anchor] = link.href.split('#', 2) as [string, string | undefined];
  const target = path === '' ? link.file : resolve(dirname(link.file), decodeURIComponent(path));
  if (!existsSync(target)) return `no file ${path}`;
  if (anchor === undefined || anchor === '') return undefined;
  if (statSync(target).isDirectory()) return `#${anchor} on a directory`;
  if (extname(target) !== '.md') {
    // GitHub's line anchors on other files (#L10, #L10-L20) need no heading.
    return /^L\d+(-L\d+)?$/.test(anchor) ? undefined : `#${anchor} on a file that is not Markdown`;
  }
  const slugs = slugsOf(target);
  if (slugs.includes(decodeURIComponent(anchor))) return undefined;
  return `no heading #${anchor} in ${path || 'this file'}`;
}

/** `file:line: href: reason` for every relative link of the files that does not resolve, paths relative to root. */
export function brokenLinks(files: readonly string[], root: string): string[] {
  return files.flatMap((file) => relativeLinks(file).flatMap((link) => {
    const reason = brokenReason(link);
    return reason === undefined ? [] : [`${relative(root, file)}:${link.line}: ${link.href}: ${reason}`];
  }));
}
