/**
 * The owner's welcome (SPEC §7 F4): when a business gets its WhatsApp number, each owner phone gets
 * the `findo_owner_welcome` template, once per phone, ever. The marker (OwnerWelcomeModel, unique
 * by phone) is claimed before the send; it names the business that claimed it, so a retried run of
 * that business's welcome goes on (the message's idempotency key keeps it to one send) while any
 * other business skips the phone.
 */
import { isDuplicateKey, OwnerWelcomeModel, TenantModel } from '../db/models/index.ts';
import { sendMessage } from '../outbound/sender.ts';
import type { Services } from '../services.ts';

/** Welcomes the tenant's owner phones that were never welcomed. Safe to run any number of times. */
export async function welcomeOwners(services: Services, tenantId: string): Promise<void> {
  const tenant = await TenantModel.findById(tenantId);
  if (!tenant?.whatsappNumberId || tenant.disabled) return;
  for (const phone of tenant.ownerPhones) {
    if (!(await claimWelcome(phone, tenant.id))) continue;
    await sendMessage(services, {
      tenantId: tenant.id,
      phone,
      audience: 'owner',
      idempotencyKey: `welcome:${phone}`,
      content: { kind: 'template', name: 'findo_owner_welcome', vars: { business: tenant.name } },
    });
  }
}

/** Whether this tenant holds (now, or from an earlier run) the phone's one welcome. */
async function claimWelcome(phone: string, tenantId: string): Promise<boolean> {
  try {
    await OwnerWelcomeModel.create({ phone, tenantId });
    return true;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return (await OwnerWelcomeModel.findOne({ phone }, { tenantId: 1 }))?.tenantId === tenantId;
  }
}
