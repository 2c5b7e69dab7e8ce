/** The local post as a draft the owner approves (bot/flows/draft-approvals.ts, flow F4). */
import { recordActivity } from '../../activity.ts';
import { PostModel } from '../../db/models/index.ts';
import { formatNational } from '../../../lib/phone.ts';
import { t } from '../../texts/index.ts';
import type { DraftSubjectHandlers } from '../draft-subject.ts';

export const postDraftSubject: DraftSubjectHandlers = {
  kind: 'post_approval',
  async draftMessage(tenant, _postId, number, draft) {
    return t(tenant.language, 'posts.draft', { number, draft });
  },
  async reminderMessage(tenant, _postId, number) {
    return t(tenant.language, 'posts.reminder', { number });
  },
  async publish(services, tenant, postId, text) {
    await PostModel.updateOne({ tenantId: tenant.id, _id: postId, state: 'awaiting_owner' }, { $set: { state: 'publishing', text } });
    await services.enqueue('publish-post', { tenantId: tenant.id, postRef: postId });
  },
  async concluded(tenant, postId, outcome) {
    switch (outcome) {
      case 'posted':
        return t(tenant.language, 'posts.published');
      case 'skipped':
        await PostModel.updateOne({ tenantId: tenant.id, _id: postId, state: 'awaiting_owner' }, { $set: { state: 'skipped' } });
        await recordActivity(tenant.id, 'post.skipped', 'owner skipped the Google post', postId);
        return t(tenant.language, 'posts.skipped');
      case 'failed':
        return t(tenant.language, 'posts.failed');
    }
  },
  async recordDecider(tenant, postId, owner) {
    await PostModel.updateOne({ tenantId: tenant.id, _id: postId }, { $set: { decidedBy: owner } });
  },
  async decidedMessage(tenant, postId, number, owner) {
    const post = await PostModel.findOne({ tenantId: tenant.id, _id: postId });
    if (!post?.decidedBy || post.decidedBy === owner) return null;
    return t(tenant.language, post.state === 'skipped' ? 'posts.decidedSkipped' : 'posts.decidedApproved', {
      number,
      owner: formatNational(post.decidedBy),
    });
  },
};
