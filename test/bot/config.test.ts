import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bot/config.ts';
import { openVault } from '../../bot/vault.ts';

describe('configuration', () => {
  it('applies the defaults of spec §3', () => {
    const config = loadConfig({ HOME: '/home/x' });
    expect(config.port).toBe(3000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.dataDir).toMatch(/\.findo$/);
    expect(config.whatsapp.apiUrl).toBe('https://graph.facebook.com');
    expect(config.logLevel).toBe('info');
  });

  it('names the variable and the fix for a bad port', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(
      new ConfigError('PORT must be a port number from 0 to 65535 (0 picks a free port)'),
    );
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT must be a port number/);
  });

  it('rejects a malformed MongoDB URI and log level', () => {
    expect(() => loadConfig({ MONGODB_URI: 'postgres://x' })).toThrow(/^MONGODB_URI must start with mongodb:\/\//);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/^LOG_LEVEL/);
  });

  it('never echoes a secret value in its error', () => {
    const secret = 'not-base64-but-a-secret-value';
    try {
      loadConfig({ FINDO_MASTER_KEY: secret });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/^FINDO_MASTER_KEY must be 32 bytes in base64/);
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it('requires FINDO_MASTER_KEY when MONGODB_URI is set', () => {
    const config = loadConfig({ MONGODB_URI: 'mongodb://127.0.0.1:1/findo' });
    expect(() => openVault(config, {})).toThrow(/FINDO_MASTER_KEY is required when MONGODB_URI is set/);
  });
});
