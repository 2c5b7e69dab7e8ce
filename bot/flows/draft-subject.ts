/**
 * What differs between the drafts an owner approves (bot/flows/draft-approvals.ts): the review
 * reply (bot/flows/reviews/approval-subject.ts) and the local post (bot/flows/posts/approval-subject.ts).
 * The conversation, numbering, reminder and owner answers are shared.
 */
import type { ConversationKind, Tenant } from '../db/models/index.ts';
import type { Services } from '../services.ts';
import type { DraftApprovalOutcome } from '../../machines/draft-approval.ts';

export interface DraftSubjectHandlers {
  /** The conversation kind its approvals are stored under. */
  kind: ConversationKind;
  /** The message that shows the owner the draft and how to answer. */
  draftMessage(tenant: Tenant, subjectId: string, number: number, draft: string): Promise<string>;
  /** The one reminder. */
  reminderMessage(tenant: Tenant, subjectId: string, number: number): Promise<string>;
  /** Marks the subject as publishing `text` and queues the publishing job. */
  publish(services: Services, tenant: Tenant, subjectId: string, text: string): Promise<void>;
  /** Records how the approval ended and returns what the owners are told. */
  concluded(tenant: Tenant, subjectId: string, outcome: DraftApprovalOutcome): Promise<string>;
  /** Records the owner whose answer decided. */
  recordDecider(tenant: Tenant, subjectId: string, owner: string): Promise<void>;
  /** What an owner who answered after another owner is told, or null when there is nothing to tell. */
  decidedMessage(tenant: Tenant, subjectId: string, number: number, owner: string): Promise<string | null>;
}
