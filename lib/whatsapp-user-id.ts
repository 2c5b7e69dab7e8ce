/**
 * WhatsApp's business-scoped user id (`US.13491208655302741918`, `US.ENT.…`): how a user who came
 * by username, without a phone number, is known and addressed (Meta, 2026). Findo keeps it where
 * a customer's phone would be.
 */
export const isBusinessScopedUserId = (address: string): boolean => /^[A-Z]{2}(\.[A-Z]+)?\.[A-Za-z0-9]{1,128}$/.test(address);
