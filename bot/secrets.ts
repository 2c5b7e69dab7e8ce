/** Named, encrypted secrets of a tenant, stored through the vault. */
import { SecretModel } from './db/models/index.ts';
import type { Vault } from './vault.ts';

export async function putSecret(tenantId: string, name: string, plaintext: string, vault: Vault): Promise<void> {
  await SecretModel.updateOne({ tenantId, name }, { $set: { box: vault.encrypt(plaintext) } }, { upsert: true });
}

export async function getSecret(tenantId: string, name: string, vault: Vault): Promise<string | null> {
  const secret = await SecretModel.findOne({ tenantId, name }).lean();
  if (!secret?.box?.data) return null;
  return vault.decrypt(secret.box as { keyId: string; iv: string; tag: string; data: string });
}

export async function deleteSecret(tenantId: string, name: string): Promise<void> {
  await SecretModel.deleteOne({ tenantId, name });
}

/** `abcd…wxyz` for display: enough to recognise, never enough to use. */
export function maskSecret(value: string): string {
  return value.length <= 8 ? '••••' : `${value.slice(0, 4)}…${value.slice(-2)}`;
}
