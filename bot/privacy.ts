/**
 * Everything Findo holds on one customer of one tenant, collection by collection, so that
 * `findo customer export` and `findo customer forget` find exactly the same documents. Every query
 * names the tenant, so nothing of another tenant is ever touched.
 */
import mongoose, { type Model } from 'mongoose';
import { AGENDA_COLLECTION } from './agenda.ts';
import {
  ActivityModel,
  ConversationModel,
  CustomerModel,
  EventModel,
  LeadModel,
  MessageModel,
  ReviewRequestModel,
} from './db/models/index.ts';
import { mentionsPhone } from '../lib/phone.ts';
import { storedRawBody } from './webhooks/body.ts';

export type CustomerDataKey = 'messages' | 'leads' | 'reviewRequests' | 'conversations' | 'events' | 'activity';

export interface CustomerData {
  key: CustomerDataKey;
  /** Plural, for people. */
  label: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the models differ only in their document type
  model: Model<any>;
  /** The filter that selects the customer's documents (it may have to look first). */
  filter: (tenantId: string, phone: string) => Promise<Record<string, unknown>>;
}

const byPhone = async (tenantId: string, phone: string) => ({ tenantId, phone });

export const CUSTOMER_DATA: readonly CustomerData[] = [
  { key: 'messages', label: 'messages', model: MessageModel, filter: byPhone },
  { key: 'leads', label: 'leads', model: LeadModel, filter: byPhone },
  { key: 'reviewRequests', label: 'review requests', model: ReviewRequestModel, filter: byPhone },
  { key: 'conversations', label: 'conversations', model: ConversationModel, filter: byPhone },
  // Raw webhooks keep the phone as the provider wrote it, anywhere in their bytes: each is read.
  { key: 'events', label: 'raw events', model: EventModel, filter: eventsMentioning },
  // Activity lines name customers by their E.164 phone.
  {
    key: 'activity',
    label: 'activity lines',
    model: ActivityModel,
    filter: async (tenantId, phone) => ({ tenantId, text: { $regex: escapeRegExp(phone) } }),
  },
];

async function eventsMentioning(tenantId: string, phone: string): Promise<Record<string, unknown>> {
  const ids: unknown[] = [];
  for await (const event of EventModel.find({ tenantId }, { body: 1, raw: 1, contentType: 1 }).lean().cursor()) {
    if (mentionsPhone(event.body, phone) || mentionsPhone(storedRawBody(event), phone)) ids.push(event._id);
  }
  return { tenantId, _id: { $in: ids } };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Deletes the runs still waiting to message this customer (a missed-call follow-up names the phone;
 * the other jobs name documents that are deleted with the customer, and find nothing when they run).
 */
export async function cancelPendingJobsFor(tenantId: string, phone: string): Promise<number> {
  const jobs = mongoose.connection.db!.collection(AGENDA_COLLECTION);
  const { deletedCount } = await jobs.deleteMany({ 'data.tenantId': tenantId, 'data.phone': phone, lockedAt: null });
  return deletedCount;
}

/**
 * Deletes the customer record; of a customer who opted out, only the opt-out is kept (the phone,
 * `optedOut` and when), so that a later call or invoice never messages them again.
 */
export async function forgetCustomerRecord(tenantId: string, phone: string): Promise<{ deleted: number; optOutKept: boolean }> {
  const optedOut = await CustomerModel.updateOne(
    { tenantId, phone, optedOut: true },
    { $unset: { name: '', lastInboundAt: '', lastFollowupAt: '', lastFollowupEvent: '', lastReviewRequestAt: '' } },
  );
  if (optedOut.matchedCount > 0) return { deleted: 0, optOutKept: true };
  const { deletedCount } = await CustomerModel.deleteMany({ tenantId, phone });
  return { deleted: deletedCount, optOutKept: false };
}
