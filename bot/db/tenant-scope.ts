/**
 * MongoDB's answer to row-level security: every tenant-owned model refuses a query or update that
 * does not name one `tenantId`. Cross-tenant reads by staff tools must say so explicitly with the
 * query option `{ allTenants: true }` (greppable, and never used by the service's flows).
 */
import type { Query, Schema } from 'mongoose';

export class TenantScopeError extends Error {
  override name = 'TenantScopeError';
}

const GUARDED_QUERIES = [
  'find',
  'findOne',
  'countDocuments',
  'distinct',
  'updateOne',
  'updateMany',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'findOneAndUpdate',
  'findOneAndDelete',
  'findOneAndReplace',
  'estimatedDocumentCount',
] as const;

/** The field every tenant-owned schema declares first (declared, not added, so types see it). */
export const tenantIdField = { type: String, required: true, immutable: true } as const;

export function tenantScoped(schema: Schema): void {
  if (!schema.path('tenantId')) throw new TenantScopeError('a tenant-scoped schema must declare tenantId: tenantIdField');
  schema.pre([...GUARDED_QUERIES], function (this: Query<unknown, unknown>) {
    if (this.getOptions().allTenants === true) return;
    const tenantId: unknown = this.getFilter().tenantId;
    if (typeof tenantId !== 'string' || tenantId === '') {
      throw new TenantScopeError(`${this.model.modelName}: query without tenantId`);
    }
  });
  schema.pre('aggregate', function () {
    if ((this.options as { allTenants?: boolean }).allTenants === true) return;
    const first = this.pipeline()[0] as { $match?: Record<string, unknown> } | undefined;
    if (typeof first?.$match?.tenantId !== 'string') {
      throw new TenantScopeError('aggregate must start with $match on one tenantId');
    }
  });
  schema.pre('insertMany', function (docs: unknown) {
    const list = Array.isArray(docs) ? docs : [docs];
    if (list.some((d) => !(d as { tenantId?: unknown })?.tenantId)) throw new TenantScopeError('insertMany without tenantId');
  });
  schema.pre('bulkWrite', function () {
    throw new TenantScopeError('bulkWrite bypasses the tenant guard; use single-document updates');
  });
}
