/**
 * Allow-list HTML sanitiser for policy texts (security.md: stored XSS; OWASP XSS Prevention Cheat Sheet,
 * "HTML Sanitization"). The output is rebuilt from tokens: only the tags and attributes below survive,
 * every text run and attribute value is decoded and re-escaped, so nothing the input spells can reach the
 * output unescaped. Scripts, styles, event handlers, inline styles and non-http(s) URLs are dropped.
 *
 * Written here rather than taken from npm (`sanitize-html` would bring htmlparser2 + postcss into the
 * server for one use); decision 0012. The tests in test/policies.test.ts cover the classic payloads.
 */

const ALLOWED = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'ul',
  'ol',
  'li',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'strong',
  'em',
  'b',
  'i',
  'u',
  'br',
  'a',
]);
const VOID = new Set(['br']);
/** Elements whose content is dropped with them. */
const DROP_CONTENT = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'template',
  'noscript',
  'noembed',
  'noframes',
  'textarea',
  'title',
  'svg',
  'math',
  'select',
  'xmp',
  'head',
  'applet',
  'frameset',
]);
/** Block elements: a newline in the plain-text rendering. */
const BLOCK = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'li', 'tr', 'caption', 'br', 'table', 'ul', 'ol']);

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  middot: '·',
  times: '×',
  copy: '©',
  yen: '¥',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});?/gi, (m, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    const named = NAMED[body.toLowerCase()];
    return named ?? m;
  });
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** http(s) absolute URLs and relative references only (no javascript:, data:, vbscript: …). */
export function safeHref(raw: string): string | null {
  // browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:")
  const v = [...decodeEntities(raw)]
    .filter((c) => {
      const n = c.codePointAt(0)!;
      return n > 0x20 && (n < 0x7f || n > 0x9f);
    })
    .join('');
  if (!v) return null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(v);
  if (scheme) return /^https?$/i.test(scheme[1]!) ? v : null;
  if (v.startsWith('//')) return null;
  // a relative reference must not hide a scheme behind a backslash trick
  if (v.includes('\\')) return null;
  return v;
}

interface Tag {
  name: string;
  closing: boolean;
  attrs: Map<string, string>;
  end: number;
}

/** Parses the tag starting at `i` (input[i] === '<'); null when it is not a tag (then '<' is text). */
function parseTag(input: string, i: number): Tag | null {
  let j = i + 1;
  const closing = input[j] === '/';
  if (closing) j++;
  const m = /^[a-zA-Z][a-zA-Z0-9-]*/.exec(input.slice(j, j + 40));
  if (!m) return null;
  const name = m[0].toLowerCase();
  j += m[0].length;
  const attrs = new Map<string, string>();
  while (j < input.length) {
    while (j < input.length && /[\s/]/.test(input[j]!)) j++;
    if (j >= input.length) break;
    if (input[j] === '>') return { name, closing, attrs, end: j + 1 };
    const an = /^[^\s/>=]+/.exec(input.slice(j));
    if (!an) {
      j++;
      continue;
    }
    const attrName = an[0].toLowerCase();
    j += an[0].length;
    while (j < input.length && /\s/.test(input[j]!)) j++;
    let value = '';
    if (input[j] === '=') {
      j++;
      while (j < input.length && /\s/.test(input[j]!)) j++;
      const q = input[j];
      if (q === '"' || q === "'") {
        const close = input.indexOf(q, j + 1);
        const stop = close === -1 ? input.length : close;
        value = input.slice(j + 1, stop);
        j = stop + 1;
      } else {
        const uv = /^[^\s>]*/.exec(input.slice(j))![0];
        value = uv;
        j += uv.length;
      }
    }
    if (!attrs.has(attrName)) attrs.set(attrName, value);
  }
  return { name, closing, attrs, end: input.length };
}

function openTag(tag: Tag): string {
  if (tag.name === 'a') {
    const href = safeHref(tag.attrs.get('href') ?? '');
    return href === null ? '<a>' : `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">`;
  }
  if (tag.name === 'td' || tag.name === 'th') {
    let out = `<${tag.name}`;
    for (const k of ['colspan', 'rowspan']) {
      const v = tag.attrs.get(k);
      if (v && /^\d{1,3}$/.test(v.trim())) out += ` ${k}="${Number(v.trim())}"`;
    }
    return `${out}>`;
  }
  return `<${tag.name}>`;
}

/** Sanitises untrusted HTML to the allow-list. Idempotent: sanitize(sanitize(x)) === sanitize(x). */
export function sanitizeHtml(input: string): string {
  let out = '';
  const stack: string[] = [];
  let i = 0;
  while (i < input.length) {
    const lt = input.indexOf('<', i);
    if (lt === -1) {
      out += escapeHtml(decodeEntities(input.slice(i)));
      break;
    }
    if (lt > i) out += escapeHtml(decodeEntities(input.slice(i, lt)));
    i = lt;
    if (input.startsWith('<!--', i)) {
      const end = input.indexOf('-->', i + 4);
      i = end === -1 ? input.length : end + 3;
      continue;
    }
    if (input[i + 1] === '!' || input[i + 1] === '?') {
      const end = input.indexOf('>', i);
      i = end === -1 ? input.length : end + 1;
      continue;
    }
    const tag = parseTag(input, i);
    if (!tag) {
      out += '&lt;';
      i++;
      continue;
    }
    i = tag.end;
    if (DROP_CONTENT.has(tag.name)) {
      if (!tag.closing) {
        const re = new RegExp(`</${tag.name}[\\s/>]`, 'i');
        const m = re.exec(input.slice(i));
        if (!m) {
          i = input.length;
        } else {
          const closeAt = i + m.index;
          const gt = input.indexOf('>', closeAt);
          i = gt === -1 ? input.length : gt + 1;
        }
      }
      continue;
    }
    if (!ALLOWED.has(tag.name)) continue; // unwrap: keep the text, drop the tag
    if (tag.closing) {
      const at = stack.lastIndexOf(tag.name);
      if (at === -1) continue;
      while (stack.length > at) out += `</${stack.pop()}>`;
      continue;
    }
    out += openTag(tag);
    if (!VOID.has(tag.name)) stack.push(tag.name);
  }
  while (stack.length) out += `</${stack.pop()}>`;
  return out;
}

/** Plain text of (sanitised) HTML, one line per block, for search and snippets. */
export function htmlToText(html: string): string {
  return decodeEntities(
    html.replace(/<\/?([a-zA-Z0-9]+)[^>]*>/g, (_m, name: string) => (BLOCK.has(name.toLowerCase()) ? '\n' : '')),
  )
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}
