/**
 * Seed data for the CLI tests, written through the models in the test process; the CLI, a child
 * process, reads the same database through MONGODB_URI.
 */
import { randomBytes } from 'node:crypto';
import type { Model } from 'mongoose';
import { TenantModel, type Tenant } from '../../bot/db/models/index.ts';

export const DANI_PHONE = '+972547654321';
export const NOA_PHONE = '+972507654321';

/** A tenant with the fields the schema requires (webhook key digests are dummies). */
export async function seedTenant(name: string, slug: string, ownerPhone = DANI_PHONE): Promise<Tenant> {
  const digest = () => randomBytes(32).toString('hex');
  return TenantModel.create({
    name,
    slug,
    ownerPhones: [ownerPhone],
    webhookKeyDigests: { voicenter: digest(), greeninvoice: digest(), icount: digest() },
  });
}

/** Moves a document's timestamps into the past (mongoose would not let `createdAt` be set). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any model
export async function backdate(model: Model<any>, id: unknown, fields: Record<string, Date>): Promise<void> {
  await model.collection.updateOne({ _id: id as never }, { $set: fields });
}

/** A date `ms` milliseconds ago. */
export const ago = (ms: number): Date => new Date(Date.now() - ms);

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The env the CLI child process needs to reach the test database. */
export const cliEnv = (uri: string, masterKey: string): NodeJS.ProcessEnv => ({
  MONGODB_URI: uri,
  FINDO_MASTER_KEY: masterKey,
  FINDO_PUBLIC_URL: 'https://findo.example.com',
});

/** Asserts the shape of a usage or failure message: one line on stderr, `findo: …`, nothing on stdout. */
export function oneErrorLine(result: { stdout: string; stderr: string }): string {
  const lines = result.stderr.trim().split('\n');
  if (result.stdout !== '' || lines.length !== 1 || !lines[0].startsWith('findo: ')) {
    throw new Error(
      `expected one "findo: …" line on stderr and nothing on stdout, got stdout=${JSON.stringify(result.stdout)} stderr=${JSON.stringify(result.stderr)}`,
    );
  }
  return lines[0];
}
