/**
 * Secrets at rest: AES-256-GCM under `FINDO_MASTER_KEY`. Each ciphertext carries the id of the key
 * that made it, so keys can rotate (old ciphertexts decrypt with a retired key, new ones use the
 * current). Tampering fails GCM's authentication and is reported, never silently accepted.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Config } from './config.ts';

/** The stored form of an encrypted secret. */
export interface Ciphertext {
  keyId: string;
  iv: string;
  tag: string;
  data: string;
}

export class VaultError extends Error {
  override name = 'VaultError';
}

/** A short, non-secret id for a key: the first 8 hex chars of its SHA-256. */
export const keyIdOf = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 8);

export class Vault {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  /** @param currentKey 32 bytes; @param retiredKeys older keys kept for decryption only */
  constructor(currentKey: Buffer, retiredKeys: Buffer[] = []) {
    for (const key of [currentKey, ...retiredKeys]) {
      if (key.length !== 32) throw new VaultError('vault keys must be 32 bytes');
      this.keys.set(keyIdOf(key), key);
    }
    this.currentKeyId = keyIdOf(currentKey);
  }

  encrypt(plaintext: string): Ciphertext {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(this.currentKeyId));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      keyId: this.currentKeyId,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  decrypt(box: Ciphertext): string {
    const key = this.keys.get(box.keyId);
    if (!key) throw new VaultError(`secret was encrypted with key ${box.keyId}, which this vault does not hold`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(box.iv, 'base64'));
      decipher.setAAD(Buffer.from(box.keyId));
      decipher.setAuthTag(Buffer.from(box.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(box.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new VaultError('secret failed its integrity check (tampered or wrong key)');
    }
  }

  /**
   * A 32-byte key for one purpose (e.g. signing OAuth states), derived from the current master
   * key with HKDF-SHA256: the master key itself never signs anything, and purposes never share a key.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.keys.get(this.currentKeyId)!, Buffer.alloc(0), `findo:${purpose}`, 32));
  }

  /** Whether a ciphertext was made with a retired key and should be re-encrypted. */
  needsRotation(box: Ciphertext): boolean {
    return box.keyId !== this.currentKeyId;
  }
}

/**
 * The vault for this configuration. With `MONGODB_URI` the key must come from `FINDO_MASTER_KEY`;
 * in embedded mode a key is generated once into `$FINDO_DATA_DIR/master.key` (mode 0600).
 * `FINDO_RETIRED_KEYS` (comma-separated base64) keeps old keys readable after a rotation.
 */
export function openVault(config: Config, env: NodeJS.ProcessEnv = process.env): Vault {
  const retired = (env.FINDO_RETIRED_KEYS ?? '')
    .split(',')
    .filter(Boolean)
    .map((k) => Buffer.from(k.trim(), 'base64'));
  if (config.masterKey) return new Vault(Buffer.from(config.masterKey, 'base64'), retired);
  if (config.mongodbUri) {
    throw new ConfigError('FINDO_MASTER_KEY is required when MONGODB_URI is set (generate one with: openssl rand -base64 32)');
  }
  const keyFile = join(config.dataDir, 'master.key');
  if (!existsSync(keyFile)) {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(keyFile, 0o600);
  return new Vault(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64'), retired);
}
