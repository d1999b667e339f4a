/**
 * Uploads and imports against zip bombs (issue #16, decision 0021): the probe was a 200 KB xlsx holding one 200 MB
 * cell, which took the server from 0.66 to 1.77 GB at each import endpoint. The zip's central directory is checked
 * before anything is inflated (total size, entry count, compression ratio), inflated bytes are counted against the
 * declared sizes, and a cell may not exceed 32,767 characters.
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsxRows, XLSX_LIMITS } from '../src/server/platform/xlsx-rows.ts';
import { type Client, createTestApp, type TestApp } from './helpers/app.ts';

interface Entry {
  name: string;
  /** Deflated bytes, inflated size and CRC-32 of the inflated bytes. */
  deflated: Buffer;
  size: number;
  crc: number;
  /** Size written into the headers (a lying central directory when different). */
  declaredSize?: number;
}

/** Deflates content given as chunks through a stream, without holding it inflated. */
async function entry(name: string, content: string | Iterable<Buffer>): Promise<Entry> {
  const chunks = typeof content === 'string' ? [Buffer.from(content)] : content;
  let size = 0;
  let crc = 0;
  function* counted() {
    for (const c of chunks) {
      size += c.length;
      crc = zlib.crc32(c, crc);
      yield c;
    }
  }
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(counted()),
    zlib.createDeflateRaw({ level: 9 }),
    async (source: AsyncIterable<Buffer>) => {
      for await (const b of source) out.push(b);
    },
  );
  return { name, deflated: Buffer.concat(out), size, crc };
}

/** A zip (deflate, no data descriptors) of the given entries. */
function zip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const size = e.declaredSize ?? e.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.deflated.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, e.deflated);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.deflated.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + e.deflated.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="xml" ContentType="application/xml"/></Types>';
const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>';

/** A workbook whose first sheet holds the given sheetData XML (chunks, so a huge cell never sits in memory). */
async function workbook(sheetData: Iterable<Buffer>, extra: Entry[] = []): Promise<Buffer> {
  function* sheet() {
    yield Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
    );
    yield* sheetData;
    yield Buffer.from('</sheetData></worksheet>');
  }
  return zip([
    await entry('[Content_Types].xml', CONTENT_TYPES),
    await entry('xl/workbook.xml', WORKBOOK),
    await entry('xl/worksheets/sheet1.xml', sheet()),
    ...extra,
  ]);
}

/** One inline-string cell of `mb` megabytes of one letter: the probe's bomb. */
function* hugeCell(mb: number) {
  yield Buffer.from('<row r="1"><c r="A1" t="inlineStr"><is><t>');
  const block = Buffer.alloc(1024 * 1024, 'A');
  for (let i = 0; i < mb; i++) yield block;
  yield Buffer.from('</t></is></c></row>');
}

function multipart(bytes: Buffer) {
  const boundary = '----miaopu-bomb';
  return {
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bomb.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

let t: TestApp;
let admin: Client;
let bomb: Buffer;
beforeAll(async () => {
  t = await createTestApp({ jobs: false });
  admin = await t.login('city.admin');
  bomb = await workbook(hugeCell(200));
}, 120_000);
afterAll(async () => t.close());

async function post(url: string, bytes: Buffer, lang = 'zh-CN') {
  const body = multipart(bytes);
  return admin.request('POST', url, body.payload, {
    ...body.headers,
    'accept-language': lang,
    'idempotency-key': crypto.randomUUID(),
  });
}

describe('zip bombs at every import endpoint', () => {
  it('the probe file is what it claims: about 200 KB holding a 200 MB cell', () => {
    expect(bomb.length).toBeLessThan(400 * 1024);
    expect(bomb.length).toBeGreaterThan(50 * 1024);
  });

  for (const url of [
    '/api/v1/enterprises/import',
    '/api/v1/enterprises/indicators/import',
    '/api/v1/parks/import',
    '/api/v1/projects/import',
    '/api/v1/assistance/pairings/import',
  ]) {
    it(`${url} refuses the 200 MB cell with a clear 4xx, keeping memory bounded`, async () => {
      global.gc?.();
      const before = process.memoryUsage().rss;
      const started = performance.now();
      const res = await post(url, bomb, 'en');
      const elapsed = performance.now() - started;
      const grew = process.memoryUsage().rss - before;
      expect([413, 422]).toContain(res.statusCode);
      const body = res.json();
      expect(body.error.code).toMatch(/^XLSX_(REJECTED|TOO_LARGE)$/);
      expect(body.error.message).toMatch(/workbook/i);
      // The probe grew the server by 1.1 GB and 5–7 s of CPU; refusing from the directory costs next to nothing.
      expect(grew).toBeLessThan(150 * 1024 * 1024);
      expect(elapsed).toBeLessThan(5000);
    });
  }

  it('localizes the refusal', async () => {
    const res = await post('/api/v1/enterprises/import', bomb, 'zh-CN');
    expect(res.json().error.message).toContain('表格文件');
  });
});

describe('the central directory checks', () => {
  it('refuses more than 100 MB inflated in all even when each part is small (413)', async () => {
    const mb = Buffer.alloc(1024 * 1024, 'x');
    const parts: Entry[] = [];
    for (let i = 0; i < 101; i++) parts.push(await entry(`xl/media/part${i}.xml`, [mb]));
    const res = await post('/api/v1/enterprises/import', await workbook([], parts));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('XLSX_TOO_LARGE');
    expect(res.json().error.details.uncompressedBytes).toBeGreaterThan(XLSX_LIMITS.maxUncompressedBytes);
  });

  it('refuses too many parts (422)', async () => {
    const parts: Entry[] = [];
    for (let i = 0; i <= XLSX_LIMITS.maxEntries; i++) parts.push(await entry(`xl/x/p${i}.xml`, '<a/>'));
    const res = await post('/api/v1/parks/import', await workbook([], parts));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('XLSX_REJECTED');
    expect(res.json().error.details.entries).toBe(XLSX_LIMITS.maxEntries + 4);
  });

  it('a part that inflates beyond what the directory declares is refused while reading', async () => {
    const sheet = await entry('xl/worksheets/sheet1.xml', hugeCell(3));
    sheet.declaredSize = 200_000; // 15x ratio and small: passes the directory check, then lies
    const bytes = zip([
      await entry('[Content_Types].xml', CONTENT_TYPES),
      await entry('xl/workbook.xml', WORKBOOK),
      sheet,
    ]);
    await expect(async () => {
      for await (const _ of readXlsxRows(bytes)) {
        /* read on */
      }
    }).rejects.toMatchObject({ code: 'XLSX_REJECTED' });
  });

  it('a cell over 32,767 characters is refused while reading (real text, ordinary ratio)', async () => {
    const text = crypto.randomBytes(30_000).toString('base64'); // 40,000 characters that do not compress much
    const bytes = await workbook([Buffer.from(`<row r="1"><c r="A1" t="inlineStr"><is><t>${text}</t></is></c></row>`)]);
    await expect(async () => {
      for await (const _ of readXlsxRows(bytes)) {
        /* read on */
      }
    }).rejects.toMatchObject({ code: 'XLSX_CELL_TOO_LONG' });
  });

  it('an ordinary workbook still reads (the checks refuse only bombs)', async () => {
    const rows = Array.from(
      { length: 2000 },
      (_, i) =>
        `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>企业${i}</t></is></c><c r="B${i + 1}"><v>${i}</v></c></row>`,
    ).join('');
    const out: unknown[][] = [];
    for await (const [, values] of readXlsxRows(await workbook([Buffer.from(rows)]))) out.push(values);
    expect(out.length).toBe(2000);
    expect(out[1999]).toEqual(['企业1999', 1999]);
  });
});
