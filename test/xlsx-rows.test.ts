import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readXlsxRows } from '../src/server/platform/xlsx-rows.ts';

describe('streaming xlsx row reader', () => {
  it('keeps multi-byte characters intact across chunk boundaries (inline and shared strings)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'miaopu-xlsx-'));
    try {
      for (const useSharedStrings of [false, true]) {
        const file = path.join(dir, `f-${useSharedStrings}.xlsx`);
        const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings, useStyles: false });
        const ws = wb.addWorksheet('企业');
        const expected: string[] = [];
        for (let i = 0; i < 20_000; i++) {
          const name = `郑州惠济区第${i}号测试企业有限公司🏭`;
          expected.push(name);
          ws.addRow([name, i, i % 2 === 0 ? '中文' : 'abc']).commit();
        }
        ws.commit();
        await wb.commit();
        const rows: [number, unknown[]][] = [];
        for await (const r of readXlsxRows(fs.readFileSync(file))) rows.push(r);
        expect(rows).toHaveLength(20_000);
        expect(rows.map((r) => r[1][0])).toEqual(expected);
        expect(rows[123]).toEqual([124, [expected[123], 123, 'abc']]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
