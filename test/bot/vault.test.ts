import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { openVault, Vault, VaultError } from '../../bot/vault.ts';

describe('secrets vault', () => {
  const key = randomBytes(32);

  it('round-trips a secret and never stores the plaintext', () => {
    const vault = new Vault(key);
    const box = vault.encrypt('ya29.secret-token');
    expect(JSON.stringify(box)).not.toContain('ya29');
    expect(vault.decrypt(box)).toBe('ya29.secret-token');
  });

  it('detects tampering with the data, the tag or the key id', () => {
    const vault = new Vault(key);
    const box = vault.encrypt('token');
    const flipped = Buffer.from(box.data, 'base64');
    flipped[0] ^= 1;
    expect(() => vault.decrypt({ ...box, data: flipped.toString('base64') })).toThrow(VaultError);
    expect(() => vault.decrypt({ ...box, tag: randomBytes(16).toString('base64') })).toThrow(/integrity/);
    expect(() => vault.decrypt({ ...box, keyId: 'deadbeef' })).toThrow(/does not hold/);
  });

  it('decrypts with a retired key after rotation and encrypts with the new one', () => {
    const old = new Vault(key);
    const box = old.encrypt('token');
    const rotated = new Vault(randomBytes(32), [key]);
    expect(rotated.needsRotation(box)).toBe(true);
    expect(rotated.decrypt(box)).toBe('token');
    expect(rotated.encrypt('x').keyId).toBe(rotated.currentKeyId);
  });

  it('generates an embedded-mode key file with mode 0600 and reuses it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'findo-vault-'));
    const config = loadConfig({ FINDO_DATA_DIR: dataDir });
    const first = openVault(config, {});
    expect(statSync(join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
    const box = first.encrypt('kept');
    expect(openVault(config, {}).decrypt(box)).toBe('kept');
  });
});
