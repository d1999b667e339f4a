/**
 * KeyProvider (security.md §6 decision 4): every key the app uses comes from here, so a certified crypto
 * service can replace this software implementation. SM3/SM4 come from Node's own crypto (OpenSSL).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface KeyProvider {
  readonly keyId: string;
  /** A 32-byte key for one purpose (HKDF from the master key). */
  key(purpose: string): Buffer;
}

const HASHES = new Set(crypto.getHashes());
/** SM3 where the OpenSSL build has it (Node 20/22/24 do), SHA-256 otherwise. */
export const MAC_ALGORITHM = HASHES.has('sm3') ? 'sm3' : 'sha256';

export class SoftwareKeyProvider implements KeyProvider {
  readonly keyId: string;
  private readonly master: Buffer;
  constructor(masterHex: string) {
    if (!/^[0-9a-fA-F]{64}$/.test(masterHex)) throw new Error('MIAOPU_MASTER_KEY must be 64 hex digits');
    this.master = Buffer.from(masterHex, 'hex');
    this.keyId = `sw-${crypto.createHash('sha256').update(this.master).digest('hex').slice(0, 8)}`;
  }
  key(purpose: string): Buffer {
    return Buffer.from(crypto.hkdfSync(MAC_ALGORITHM, this.master, Buffer.alloc(0), `miaopu:${purpose}`, 32));
  }
}

/**
 * The master key: MIAOPU_MASTER_KEY, or (demo and development) a random key created once in
 * DATA_DIR/keys/master.key with mode 0600. Production refuses to start without the variable (config.ts).
 */
export function loadKeyProvider(opts: { masterKey?: string; dataDir: string }): KeyProvider {
  if (opts.masterKey) return new SoftwareKeyProvider(opts.masterKey);
  const file = path.join(opts.dataDir, 'keys', 'master.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return new SoftwareKeyProvider(fs.readFileSync(file, 'utf8').trim());
}

export function hmac(key: Buffer, data: string, algorithm: string = MAC_ALGORITHM): string {
  if (algorithm !== 'sm3' && algorithm !== 'sha256') throw new Error(`unsupported MAC algorithm ${algorithm}`);
  return crypto.createHmac(algorithm, key).update(data).digest('hex');
}
