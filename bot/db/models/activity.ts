/** The activity feed: one short line per accepted event, sent message and state change. */
import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { tenantIdField, tenantScoped } from '../tenant-scope.ts';

const activitySchema = new Schema({
  tenantId: tenantIdField,
  at: { type: Date, required: true, default: () => new Date() },
  type: { type: String, required: true },
  text: { type: String, required: true },
  ref: String,
});
activitySchema.plugin(tenantScoped);
activitySchema.index({ tenantId: 1, at: 1 });
activitySchema.index({ at: 1 });

export type Activity = HydratedDocument<InferSchemaType<typeof activitySchema>>;
export const ActivityModel = mongoose.model('Activity', activitySchema);
