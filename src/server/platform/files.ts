/**
 * Uploads: content-addressed under DATA_DIR/files/<aa>/<sha256>, checked by size and by content type from
 * magic bytes against an allow-list (security.md MC-01, ASVS-19). The user's file name is kept as metadata
 * only and never used as a path.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from './errors.ts';
import { checkXlsxZip } from './xlsx-rows.ts';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export const ALLOWED_TYPES: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

function isXlsxZip(bytes: Buffer): boolean {
  const tail = bytes.subarray(Math.max(0, bytes.length - 65_536));
  const has = (name: string) => tail.includes(Buffer.from(name));
  return has('[Content_Types].xml') && has('xl/workbook.xml') && !has('vbaProject.bin');
}

export interface StoredBlob {
  sha256: string;
  size: number;
  mime: string;
}

export class FileStore {
  constructor(private readonly root: string) {}

  blobPath(sha256: string) {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad content address');
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Checks the bytes and writes the blob (idempotent: same bytes, same file). */
  async put(bytes: Buffer): Promise<StoredBlob> {
    if (bytes.length > MAX_UPLOAD_BYTES) throw new AppError('FILE_TOO_LARGE', { limitMb: MAX_UPLOAD_BYTES / 1048576 });
    let type = await fileTypeFromBuffer(bytes);
    // Streaming xlsx writers put [Content_Types].xml late in the zip, where file-type only sees "zip": look at
    // the central directory for the workbook part (and refuse macro-enabled files).
    if (type?.mime === 'application/zip' && isXlsxZip(bytes)) {
      type = { ext: 'xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
    }
    if (!type || !ALLOWED_TYPES[type.mime]) {
      throw new AppError('UNSUPPORTED_FILE_TYPE', { allowed: Object.values(ALLOWED_TYPES).join(', ') });
    }
    // A workbook is checked for zip bombs before it is stored or parsed (decision 0021).
    if (type.mime === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') await checkXlsxZip(bytes);
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    const target = this.blobPath(sha256);
    await fs.mkdir(path.dirname(target), { recursive: true });
    try {
      await fs.writeFile(target, bytes, { flag: 'wx', mode: 0o640 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    return { sha256, size: bytes.length, mime: type.mime };
  }

  async read(sha256: string): Promise<Buffer> {
    return fs.readFile(this.blobPath(sha256));
  }
}
