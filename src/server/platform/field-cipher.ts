/**
 * Field encryption for personal data (security.md DC-02, §6 decision 4): SM4-CBC with a fresh IV, then
 * HMAC-SM3 over iv‖ciphertext (encrypt-then-MAC); a separate HMAC blind index allows exact search. Keys come
 * from the KeyProvider. Where the OpenSSL build lacks SM4/SM3, AES-256-CBC/SHA-256 are used, named in the value.
 */
import crypto from 'node:crypto';
import type { KeyProvider } from './keys.ts';

const HAS_SM4 = crypto.getCiphers().includes('sm4-cbc');
const HAS_SM3 = crypto.getHashes().includes('sm3');
const CIPHER = HAS_SM4 ? 'sm4-cbc' : 'aes-256-cbc';
const MAC = HAS_SM3 ? 'sm3' : 'sha256';

export class IntegrityError extends Error {}

export class FieldCipher {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;
  private readonly indexKey: Buffer;
  constructor(private readonly keys: KeyProvider) {
    this.encKey = keys.key('pii-enc');
    this.macKey = keys.key('pii-mac');
    this.indexKey = keys.key('pii-index');
  }

  private keyFor(cipher: string) {
    return cipher === 'sm4-cbc' ? this.encKey.subarray(0, 16) : this.encKey;
  }

  encrypt(plain: string): string {
    const iv = crypto.randomBytes(16);
    const c = crypto.createCipheriv(CIPHER, this.keyFor(CIPHER), iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    const mac = crypto.createHmac(MAC, this.macKey).update(iv).update(ct).digest();
    return [
      'v1',
      CIPHER,
      MAC,
      this.keys.keyId,
      iv.toString('base64'),
      ct.toString('base64'),
      mac.toString('base64'),
    ].join(':');
  }

  decrypt(value: string): string {
    const [v, cipher, mac, , ivB, ctB, macB] = value.split(':');
    if (v !== 'v1' || !cipher || !mac || !ivB || !ctB || !macB) throw new IntegrityError('malformed');
    const iv = Buffer.from(ivB, 'base64');
    const ct = Buffer.from(ctB, 'base64');
    const expected = crypto.createHmac(mac, this.macKey).update(iv).update(ct).digest();
    const given = Buffer.from(macB, 'base64');
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw new IntegrityError('mac');
    const d = crypto.createDecipheriv(cipher, this.keyFor(cipher), iv);
    return Buffer.concat([d.update(ct), d.final()]).toString('utf8');
  }

  /** Deterministic blind index for exact lookups (never reversible). */
  index(plain: string): string {
    return crypto.createHmac(MAC, this.indexKey).update(plain.trim().toUpperCase()).digest('hex');
  }
}
