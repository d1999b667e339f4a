/**
 * A streaming reader of the first worksheet of an .xlsx file, row by row, with constant memory. ExcelJS's own
 * streaming reader decodes each inflated chunk separately and corrupts multi-byte UTF-8 characters that straddle
 * a chunk boundary (exceljs lib/utils/parse-sax.js), which breaks Chinese text in large files; here one
 * StringDecoder carries partial characters over. Uses the zip (unzipper) and XML (saxes) libraries ExcelJS uses.
 * Cell values: shared and inline strings as text, numbers as numbers (dates stay Excel serial numbers).
 *
 * Zip bombs (issue #16, decision 0021): before anything is inflated, checkXlsxZip reads the zip's central directory
 * and refuses a file whose parts would inflate beyond 100 MB in all, that has too many parts, or whose parts are
 * compressed beyond any real worksheet; while reading, inflated bytes are counted against the declared sizes and no
 * cell may exceed Excel's own 32,767 characters.
 */
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser } from 'saxes';
import unzipper from 'unzipper';
import { AppError } from './errors.ts';

/** Limits for an uploaded workbook. */
export const XLSX_LIMITS = {
  /** All parts together, inflated. */
  maxUncompressedBytes: 100 * 1024 * 1024,
  /** Parts in the zip (a workbook has a few dozen). */
  maxEntries: 2_000,
  /** Inflated/compressed size of any part above 1 MB inflated: real sheet XML stays well below 100. */
  maxRatio: 200,
  /** Characters in one cell: Excel's own limit. */
  maxCellChars: 32_767,
};

/** Reads the central directory only (nothing is inflated) and refuses bombs: 413 XLSX_TOO_LARGE, 422 XLSX_REJECTED. */
export async function checkXlsxZip(bytes: Buffer): Promise<void> {
  let dir: Awaited<ReturnType<typeof unzipper.Open.buffer>>;
  try {
    dir = await unzipper.Open.buffer(bytes);
  } catch {
    throw new AppError('XLSX_REJECTED', { reason: 'zip' });
  }
  if (dir.files.length > XLSX_LIMITS.maxEntries) {
    throw new AppError(
      'XLSX_REJECTED',
      { reason: 'entries' },
      { entries: dir.files.length, limit: XLSX_LIMITS.maxEntries },
    );
  }
  let total = 0;
  for (const f of dir.files) {
    const size = Number(f.uncompressedSize);
    const packed = Math.max(1, Number(f.compressedSize));
    total += size;
    if (size > 1024 * 1024 && size / packed > XLSX_LIMITS.maxRatio) {
      throw new AppError(
        'XLSX_REJECTED',
        { reason: 'ratio' },
        { part: f.path.slice(0, 100), ratio: Math.round(size / packed) },
      );
    }
  }
  if (total > XLSX_LIMITS.maxUncompressedBytes) {
    throw new AppError(
      'XLSX_TOO_LARGE',
      { limitMb: XLSX_LIMITS.maxUncompressedBytes / 1048576 },
      { uncompressedBytes: total },
    );
  }
}

/** Passes a part's inflated bytes on, refusing more than it declared (a lying central directory). */
async function* bounded(stream: NodeJS.ReadableStream, declared: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > declared + 1024 || seen > XLSX_LIMITS.maxUncompressedBytes) {
      throw new AppError('XLSX_REJECTED', { reason: 'size' });
    }
    yield chunk;
  }
}

export type CellValue = string | number | boolean | null;

function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n; // 1-based
}

async function* xmlEvents(stream: AsyncIterable<Buffer>) {
  const parser = new SaxesParser();
  const decoder = new StringDecoder('utf8');
  let events: { type: 'open' | 'text' | 'close'; name?: string; attrs?: Record<string, string>; text?: string }[] = [];
  let error: Error | undefined;
  parser.on('error', (e) => {
    error = e;
  });
  parser.on('opentag', (t) =>
    events.push({ type: 'open', name: t.name, attrs: t.attributes as Record<string, string> }),
  );
  parser.on('text', (text) => events.push({ type: 'text', text }));
  parser.on('closetag', (t) => events.push({ type: 'close', name: t.name }));
  // saxes keeps a text node until the next tag: bound what may pile up without an event (one over-long cell).
  let quiet = 0;
  for await (const chunk of stream) {
    parser.write(decoder.write(chunk));
    if (error) throw error;
    quiet = events.length ? 0 : quiet + chunk.length;
    if (quiet > XLSX_LIMITS.maxCellChars * 4 + 65_536) {
      throw new AppError('XLSX_CELL_TOO_LONG', { limit: XLSX_LIMITS.maxCellChars });
    }
    yield events;
    events = [];
  }
  parser.write(decoder.end());
  parser.close();
  if (error) throw error;
  yield events;
}

/** Yields [rowNumber, values] for each row of the first worksheet; values[0] is column A. */
export async function* readXlsxRows(bytes: Buffer): AsyncGenerator<[number, CellValue[]]> {
  await checkXlsxZip(bytes);
  const dir = await unzipper.Open.buffer(bytes);
  const tooLong = (row?: number) =>
    new AppError('XLSX_CELL_TOO_LONG', { limit: XLSX_LIMITS.maxCellChars }, row ? { row } : null);
  const shared: string[] = [];
  const ss = dir.files.find((f) => f.path === 'xl/sharedStrings.xml');
  if (ss) {
    let inSi = false;
    let inT = false;
    let cur = '';
    for await (const events of xmlEvents(bounded(ss.stream(), Number(ss.uncompressedSize)))) {
      for (const e of events) {
        if (e.type === 'open' && e.name === 'si') {
          inSi = true;
          cur = '';
        } else if (e.type === 'open' && e.name === 't') inT = inSi;
        else if (e.type === 'text' && inT) {
          cur += e.text;
          if (cur.length > XLSX_LIMITS.maxCellChars) throw tooLong();
        } else if (e.type === 'close' && e.name === 't') inT = false;
        else if (e.type === 'close' && e.name === 'si') {
          shared.push(cur);
          inSi = false;
        }
      }
    }
  }
  const sheets = dir.files
    .filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f.path))
    .sort((a, b) => Number(/(\d+)\.xml$/.exec(a.path)![1]) - Number(/(\d+)\.xml$/.exec(b.path)![1]));
  const sheet = sheets[0];
  if (!sheet) return;
  let rowNo = 0;
  let values: CellValue[] = [];
  let col = 0;
  let type = '';
  let text = '';
  let inV = false;
  let inT = false;
  for await (const events of xmlEvents(bounded(sheet.stream(), Number(sheet.uncompressedSize)))) {
    for (const e of events) {
      if (e.type === 'open') {
        if (e.name === 'row') {
          rowNo = Number(e.attrs?.r ?? rowNo + 1);
          values = [];
          col = 0;
        } else if (e.name === 'c') {
          col = e.attrs?.r ? columnIndex(e.attrs.r) : col + 1;
          type = e.attrs?.t ?? 'n';
          text = '';
        } else if (e.name === 'v') inV = true;
        else if (e.name === 't') inT = true;
      } else if (e.type === 'text') {
        if (inV || inT) text += e.text;
        if (text.length > XLSX_LIMITS.maxCellChars) throw tooLong(rowNo);
      } else if (e.name === 'v') inV = false;
      else if (e.name === 't') inT = false;
      else if (e.name === 'c') {
        let v: CellValue = null;
        if (type === 's') v = shared[Number(text)] ?? '';
        else if (type === 'inlineStr' || type === 'str') v = text;
        else if (type === 'b') v = text === '1';
        else if (text !== '') v = Number(text);
        values[col - 1] = v;
      } else if (e.name === 'row') {
        yield [rowNo, values];
      }
    }
  }
}
