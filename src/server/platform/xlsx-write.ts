/**
 * Writing large .xlsx exports without stalling the server (issue #16, decision 0021 addendum).
 *
 * `new ExcelJS.Workbook()` + `writeBuffer()` builds the whole sheet in memory and zips it in one synchronous run:
 * 5,400 firms held the event loop for ~600 ms, so every other request (the `/healthz` liveness probe included) waited
 * behind each export. ExcelJS's streaming writer serialises each committed row at once and compresses through zlib
 * (libuv's thread pool); here the rows are added in slices with a turn of the event loop between them, and the bytes
 * are collected into one Buffer, so the route still answers with a Content-Length and fails before anything is sent.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';

export type XlsxColumn = { header: string; key: string; width?: number };

/** Rows serialised per slice; one slice takes a few milliseconds. */
const SLICE = 200;

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
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet(sheetName);
  ws.columns = columns;
  let n = 0;
  for (const row of rows) {
    ws.addRow(row).commit();
    if (++n % SLICE === 0) await nextTurn();
  }
  ws.commit();
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}
