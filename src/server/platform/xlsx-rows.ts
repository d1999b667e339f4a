/**
 * A streaming reader of the first worksheet of an .xlsx file, row by row, with constant memory. ExcelJS's own
 * streaming reader decodes each inflated chunk separately and corrupts multi-byte UTF-8 characters that straddle
 * a chunk boundary (exceljs lib/utils/parse-sax.js), which breaks Chinese text in large files; here one
 * StringDecoder carries partial characters over. Uses the zip (unzipper) and XML (saxes) libraries ExcelJS uses.
 * Cell values: shared and inline strings as text, numbers as numbers (dates stay Excel serial numbers).
 */
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser } from 'saxes';
import unzipper from 'unzipper';

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

async function* xmlEvents(stream: NodeJS.ReadableStream) {
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
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    parser.write(decoder.write(chunk));
    if (error) throw error;
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
  const dir = await unzipper.Open.buffer(bytes);
  const shared: string[] = [];
  const ss = dir.files.find((f) => f.path === 'xl/sharedStrings.xml');
  if (ss) {
    let inSi = false;
    let inT = false;
    let cur = '';
    for await (const events of xmlEvents(ss.stream())) {
      for (const e of events) {
        if (e.type === 'open' && e.name === 'si') {
          inSi = true;
          cur = '';
        } else if (e.type === 'open' && e.name === 't') inT = inSi;
        else if (e.type === 'text' && inT) cur += e.text;
        else if (e.type === 'close' && e.name === 't') inT = false;
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
  for await (const events of xmlEvents(sheet.stream())) {
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
