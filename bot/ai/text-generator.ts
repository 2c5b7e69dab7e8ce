/**
 * The text generation port: everything Findo asks of a language model, behind one small interface
 * so flows run the same against Claude, the deterministic rules, or an in-process fake.
 */
import type { Language } from '../texts/index.ts';

/** Which answer the conversation is waiting for; `any` reads whatever the customer offered. */
export type ExpectedLeadDetail = 'name' | 'need' | 'time' | 'any';

/** Lead details found in a customer's message, in the customer's own words. */
export interface LeadDetails {
  name?: string;
  need?: string;
  preferredTime?: string;
}

/** What `extractLeadDetails` knows besides the message. */
export interface ExtractLeadDetailsOptions {
  /** The conversation's language (the tenant's or the customer's). */
  language: Language;
  /** The question the customer is answering: a bare answer is taken as that detail. */
  expecting: ExpectedLeadDetail;
}

/** A lead as known so far, to summarise for the owner. */
export interface LeadToSummarise extends LeadDetails {
  /** E.164; never sent to a model (the owner's message shows it on its own line). */
  phone: string;
}

/** A Google review to answer. */
export interface ReviewToAnswer {
  /** The reviewer's public display name; may be empty for anonymous reviews. */
  reviewerName: string;
  /** 1 to 5. */
  stars: number;
  /** The review text; may be empty (a rating without words). */
  comment?: string;
  businessName: string;
  /** Language of a reply when the review has no words to tell it by. Default `he`. */
  defaultLanguage?: Language;
}

/** A reply to a review and the language it is written in. */
export interface ReviewReply {
  text: string;
  language: Language;
}

/** What Findo knows for a business's weekly Google post. */
export interface PostFacts {
  businessName: string;
  /** The tenant's language: the post is written in it. */
  language: Language;
  /** The kinds of work asked for this week (lead needs, in the customers' words, phone numbers removed). */
  kindsOfWork: string[];
  /** Comments of this week's good reviews (4–5 stars), without the reviewers' names. */
  goodReviews: string[];
  /** A holiday in the coming days, named in `language`. */
  holiday?: string;
  /** Names of customers (leads, reviewers): the post must not contain them. */
  customerNames: string[];
}

/** Generates and reads the free text of Findo's conversations. */
export interface TextGenerator {
  /** Finds the customer's name, need and preferred time in a message; absent fields were not found. */
  extractLeadDetails(text: string, options: ExtractLeadDetailsOptions): Promise<LeadDetails>;
  /** One line for the owner describing the lead, in `language`. */
  summariseLead(lead: LeadToSummarise, language: Language): Promise<string>;
  /**
   * A public reply to a review, in the reviewer's language, with no invented facts and no private
   * details about the customer.
   */
  writeReviewReply(review: ReviewToAnswer): Promise<ReviewReply>;
  /**
   * A short public Google post for the business, in `facts.language`: at most 1,500 characters,
   * no phone numbers, no customer names.
   */
  writePost(facts: PostFacts): Promise<string>;
}
