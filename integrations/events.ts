/**
 * Findo's normalised events: what every provider's webhook payload becomes before any business
 * logic sees it. Each provider folder has a normaliser that returns one of these.
 */

/** Where a webhook came from; also the `provider` of stored events. */
export type Provider = 'whatsapp' | 'voicenter' | 'greeninvoice' | 'icount';

/** An unanswered inbound call (Voicenter). */
export interface MissedCallEvent {
  kind: 'call.missed';
  provider: 'voicenter';
  /** Provider call id (OriginalIvrUniqueID ?? ivruniqueid). */
  providerCallId: string;
  /** E.164 (`+9725…`), or null when withheld or unparseable. */
  callerPhone: string | null;
  callerPhoneRaw: string;
  /** The business line that was called, E.164 when parseable. */
  calledNumber: string | null;
  /** ISO-8601 UTC. */
  occurredAt: string;
  status: 'abandoned' | 'no_answer' | 'busy' | 'cancelled' | 'voicemail' | 'queue_unavailable' | 'other';
  providerStatus: string;
}

export type DocumentType =
  'tax_invoice' | 'invoice_receipt' | 'receipt' | 'credit_note' | 'proforma' | 'donation_receipt' | 'quote' | 'order' | 'other';

/** A document issued in an invoicing system (Greeninvoice/Morning or iCount). */
export interface DocumentIssuedEvent {
  kind: 'document.issued';
  provider: 'greeninvoice' | 'icount';
  documentId: string;
  documentNumber: string;
  documentType: DocumentType;
  providerDocumentType: string;
  customerName: string | null;
  /** E.164, or null. */
  customerPhone: string | null;
  customerPhoneRaw: string | null;
  customerEmail: string | null;
  amount: number | null;
  currency: string | null;
  /** ISO-8601 UTC. */
  issuedAt: string;
}

/** A payload that was understood but asks nothing of Findo (an answered call, a quote…). */
export interface IgnoredEvent {
  kind: 'ignored';
  provider: Provider;
  reason: string;
}

export type ProviderEvent = MissedCallEvent | DocumentIssuedEvent | IgnoredEvent;

/**
 * What a provider normaliser returns for one webhook body.
 * `ok: false` means "authenticated but not understood": the route quarantines it with `reason`.
 */
export type NormaliseResult = { ok: true; eventId: string; event: ProviderEvent } | { ok: false; eventId: string; reason: string };
