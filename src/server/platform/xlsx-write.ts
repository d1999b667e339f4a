/**
 * Writing large .xlsx exports without stalling the server (issue #16, decision 0021 addendum).
 *
 * `new ExcelJS.Workbook()` + `writeBuffer()` builds the whole sheet in memory and zips it in one synchronous run:
 * 5,400 firms held the event loop for ~600 ms, so every other request (the `/healthz` liveness probe included) waited
 * behind each export. ExcelJS's streaming writer serialises each committed row at once and compresses through zlib
 * (libuv's thread pool); here the rows are added in slices with a turn of the event loop between them, and the bytes
 * are collected into one Buffer (no cell styles: styles cost as much as the rows), so the route still answers with a Content-Length and fails before anything is sent.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * Formula injection (security.md ASVS-20): a text cell that Excel, WPS or LibreOffice would read as a formula (it
 * starts with = + - @, a tab, a carriage return or NUL) gets a leading `'`. Every export writes text through this.
 */
export function formulaSafe<T>(v: T): T | string {
  return typeof v === 'string' && /^[=+\-@\t\r\0]/.test(v) ? `'${v}` : v;
}

export type XlsxColumn = { header: string; key: string; width?: number };

/**
 * A slice ends after this many milliseconds of work. Every export waiting in the same turn runs its slice before
 * the server reads the next request, so the bound is per export: four at once hold the loop ~4 × this.
 */
const SLICE_MS = 8;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One worksheet with a header row and the given rows, streamed. `rows` may be any iterable (an array or a generator
 * that maps database rows as it goes).
 */
export async function writeSheetXlsx(
  sheetName: string,
  columns: XlsxColumn[],
  rows: Iterable<Record<string, unknown>>,
): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet(sheetName);
  ws.columns = columns;
  let sliceStart = performance.now();
  for (const row of rows) {
    ws.addRow(row).commit();
    if (performance.now() - sliceStart > SLICE_MS) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  ws.commit();
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}
