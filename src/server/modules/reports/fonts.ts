/**
 * The CJK font of the PDF reports (decision 0025): Noto Sans Hans (SIL OFL 1.1) from the npm package
 * `@embedpdf/fonts-sc`, so `npm install` brings it on every machine and the output does not depend on the fonts a
 * machine happens to have. PDFKit embeds only the glyphs a report uses (a subset), so a report stays small.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const FONT_PACKAGE = '@embedpdf/fonts-sc';
/** PostScript names as they appear (with a subset prefix) in the PDF's font dictionary. */
export const FONT_NAMES = { regular: 'NotoSansHans-Regular', bold: 'NotoSansHans-Bold' } as const;

let cached: { regular: Buffer; bold: Buffer } | null = null;

function fontDir(): string {
  // The package exports only its index; its fonts/ folder sits beside dist/.
  return path.join(path.dirname(require.resolve(FONT_PACKAGE)), '..', 'fonts');
}

/** The font files (read once per process). */
export function reportFonts(): { regular: Buffer; bold: Buffer } {
  if (!cached) {
    const dir = fontDir();
    cached = {
      regular: fs.readFileSync(path.join(dir, `${FONT_NAMES.regular}.otf`)),
      bold: fs.readFileSync(path.join(dir, `${FONT_NAMES.bold}.otf`)),
    };
  }
  return cached;
}
