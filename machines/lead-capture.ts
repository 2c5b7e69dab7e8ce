/**
 * Lead capture (SPEC §7 F1): the customer conversation after a missed call, or when a customer
 * writes first. It learns the customer's name, what they need and when suits them, in that order,
 * then saves a lead and tells the owner.
 *
 * The machine is pure. The service restores it per inbound event from its persisted snapshot,
 * sends one event and persists the new snapshot; every side effect is a named action with params
 * that the service supplies through `.provide({ actions })` as an outbox push. Every named action
 * is such an effect: the machine's own context updates are inline `assign`s. Long waits are
 * Agenda jobs that send `SILENCE_TIMEOUT`; there are no timers in here. Text lives in the message
 * catalogs: `say` carries a catalog key and the variables the machine knows.
 */
import { assign, enqueueActions, setup, type SnapshotFrom } from 'xstate';

/**
 * Version of this machine's states and context, stored with every snapshot. Bump it on any change
 * that an old snapshot could not be restored into; the service then restarts old conversations.
 */
export const VERSION = 1;

/** How the conversation began. */
export type LeadOrigin = 'missed_call' | 'inbound';

/** What the service passes when it creates (or restores) the actor. */
export interface LeadCaptureInput {
  /**
   * `missed_call`: the follow-up job already sent the `findo_missed_call` template; the customer's
   * first reply starts capture. `inbound`: the customer wrote first; the bot greets them.
   */
  origin: LeadOrigin;
}

/** What the machine has learnt. */
export interface LeadCaptureContext {
  origin: LeadOrigin;
  name?: string;
  need?: string;
  preferredTime?: string;
  /** Whether the one nudge allowed in the 24-hour window has been sent. */
  nudged: boolean;
}

/** The service's understanding of a customer message (intent detection and detail extraction). */
export interface Understood {
  intent: 'who_is_this' | 'human' | 'none';
  name?: string;
  need?: string;
  preferredTime?: string;
}

/** A message from the customer, already understood by the service. */
export interface CustomerMessageEvent {
  type: 'CUSTOMER_MESSAGE';
  text: string;
  understood: Understood;
}

/** Sent by the silence-check job when the customer has not answered the last question. */
export interface SilenceTimeoutEvent {
  type: 'SILENCE_TIMEOUT';
  /** Whether the customer's 24-hour window is still open (free-form text may be sent). */
  windowOpen: boolean;
}

/** The customer opted out (STOP, הסר, …); the sender already confirmed it. */
export interface OptedOutEvent {
  type: 'OPTED_OUT';
}

export type LeadCaptureEvent = CustomerMessageEvent | SilenceTimeoutEvent | OptedOutEvent;

/**
 * `say` params: a catalog key and the variables the machine knows. The service adds what it knows
 * (business name, phone) before rendering.
 */
export type LeadSayParams =
  | { key: 'lead.greeting'; vars: { business?: string } }
  | { key: 'lead.askName'; vars: Record<string, never> }
  | { key: 'lead.askNeed'; vars: { name: string } }
  | { key: 'lead.askTime'; vars: Record<string, never> }
  | { key: 'lead.whoAreWe'; vars: Record<string, never> }
  | { key: 'lead.handoff'; vars: Record<string, never> }
  | { key: 'lead.thanks'; vars: { name: string } }
  | { key: 'lead.nudge'; vars: Record<string, never> };

/** Every catalog key this machine uses. */
export type LeadMessageKey = LeadSayParams['key'];

/** The details known so far; absent fields are left out (never `undefined`). */
export interface LeadDetails {
  name?: string;
  need?: string;
  preferredTime?: string;
}

/** `saveLead` params: `complete` (all three details), `partial` (silence), `handoff` (asked for a human). */
export interface SaveLeadParams extends LeadDetails {
  status: 'complete' | 'partial' | 'handoff';
}

/** `notifyOwner` params: a new lead, a partial one (the customer went silent), or a handoff. */
export interface NotifyOwnerParams extends LeadDetails {
  kind: 'lead' | 'partial_lead' | 'handoff';
}

/** The named actions the service must provide, each with its params (`undefined`: none). */
export interface LeadCaptureActionParams {
  say: LeadSayParams;
  saveLead: SaveLeadParams;
  notifyOwner: NotifyOwnerParams;
  /** (Re)schedule the silence-check job for this conversation; sent after every bot question. */
  scheduleSilenceCheck: undefined;
  /** Cancel the silence-check job; sent on entering any final state. */
  cancelSilenceCheck: undefined;
}

/** A detail the bot asks for. */
export type LeadField = 'name' | 'need' | 'preferredTime';

const notProvided = (name: string) => (): never => {
  throw new Error(`lead-capture: action "${name}" not provided`);
};

/** Upper bounds for a free-text answer to count as that answer. */
const MAX_NAME_CHARS = 40;
const MAX_NAME_WORDS = 4;
const MAX_TIME_CHARS = 120;
/** Longer needs are kept, cut to this length, so a long description does not bloat the snapshot. */
const MAX_NEED_CHARS = 500;

const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();
const hasLetterOrDigit = (text: string): boolean => /[\p{L}\p{N}]/u.test(text);

/**
 * The customer's free text as the answer to the question asked, or undefined when it is not
 * plausible: a name is a few words of letters (no digits, no question, no link); a need is any
 * text with letters; a time is a short text with a letter or digit.
 */
export function freeTextAnswer(field: LeadField, text: string): string | undefined {
  const t = squash(text);
  if (!t || !hasLetterOrDigit(t)) return undefined;
  switch (field) {
    case 'name': {
      const words = t.split(' ').length;
      const plausible = t.length <= MAX_NAME_CHARS && words <= MAX_NAME_WORDS && !/[\p{N}?؟@/:]/u.test(t) && /\p{L}/u.test(t);
      return plausible ? t : undefined;
    }
    case 'need':
      return /\p{L}/u.test(t) ? t.slice(0, MAX_NEED_CHARS) : undefined;
    case 'preferredTime':
      return t.length <= MAX_TIME_CHARS ? t : undefined;
  }
}

const clean = (value: string | undefined): string | undefined => {
  const v = value === undefined ? undefined : squash(value);
  return v ? v : undefined;
};

/** The first detail still missing, in the order the bot asks for them. */
export function nextMissing(details: LeadDetails): LeadField | null {
  if (!details.name) return 'name';
  if (!details.need) return 'need';
  if (!details.preferredTime) return 'preferredTime';
  return null;
}

/**
 * What a message teaches: extracted details fill the fields still missing (an answer never
 * overwrites a detail already given); then, when the bot was expecting a field, the message
 * is a plain answer (intent `none`) and nothing was extracted for it, the free text itself is the
 * answer if plausible.
 */
export function learn(context: LeadDetails, event: CustomerMessageEvent, expecting: LeadField | null): LeadDetails {
  const u = event.understood;
  const next: LeadDetails = {
    name: context.name ?? clean(u.name),
    need: context.need ?? clean(u.need),
    preferredTime: context.preferredTime ?? clean(u.preferredTime),
  };
  if (expecting && !next[expecting] && u.intent === 'none') {
    next[expecting] = freeTextAnswer(expecting, event.text);
  }
  return details(next);
}

/** The known details without undefined fields, so params and snapshots stay clean JSON. */
function details(d: LeadDetails): LeadDetails {
  const out: LeadDetails = {};
  if (d.name) out.name = d.name;
  if (d.need) out.need = d.need;
  if (d.preferredTime) out.preferredTime = d.preferredTime;
  return out;
}

const leadCaptureSetup = setup({
  types: {} as {
    context: LeadCaptureContext;
    events: LeadCaptureEvent;
    input: LeadCaptureInput;
  },
  actions: {
    say: notProvided('say') as (_: unknown, params: LeadCaptureActionParams['say']) => void,
    saveLead: notProvided('saveLead') as (_: unknown, params: LeadCaptureActionParams['saveLead']) => void,
    notifyOwner: notProvided('notifyOwner') as (_: unknown, params: LeadCaptureActionParams['notifyOwner']) => void,
    scheduleSilenceCheck: notProvided('scheduleSilenceCheck') as () => void,
    cancelSilenceCheck: notProvided('cancelSilenceCheck') as () => void,
  },
  guards: {
    asksForHuman: ({ event }) => event.type === 'CUSTOMER_MESSAGE' && event.understood.intent === 'human',
    asksWhoWeAre: ({ event }) => event.type === 'CUSTOMER_MESSAGE' && event.understood.intent === 'who_is_this',
    isInbound: ({ context }) => context.origin === 'inbound',
    /** One nudge, and only while free-form text may still be sent. */
    mayNudge: ({ context, event }) => event.type === 'SILENCE_TIMEOUT' && event.windowOpen && !context.nudged,
    hasAllDetails: ({ context }) => nextMissing(context) === null,
    lacksName: ({ context }) => nextMissing(context) === 'name',
    lacksNeed: ({ context }) => nextMissing(context) === 'need',
  },
});

/** Takes in what the message teaches; `expecting` is the field the bot last asked for. */
const learnExpecting = (expecting: LeadField | null) =>
  leadCaptureSetup.assign(({ context, event }) => (event.type === 'CUSTOMER_MESSAGE' ? learn(context, event, expecting) : {}));

/** "Who is this?": introduce the business, keep what was learnt, and ask on. */
const INTRODUCE_OURSELVES = {
  guard: 'asksWhoWeAre',
  target: 'routing',
  actions: [learnExpecting(null), { type: 'say', params: { key: 'lead.whoAreWe', vars: {} } }],
} as const;

export const leadCaptureMachine = leadCaptureSetup.createMachine({
  id: 'leadCapture',
  context: ({ input }) => ({ origin: input.origin, nudged: false }),
  initial: 'awaitingReply',
  on: {
    // Root-level, so they apply in every non-final state; final states ignore every event.
    OPTED_OUT: { target: '.optedOut' },
    SILENCE_TIMEOUT: [
      {
        guard: 'mayNudge',
        actions: [assign({ nudged: true }), { type: 'say', params: { key: 'lead.nudge', vars: {} } }, 'scheduleSilenceCheck'],
      },
      { target: '.closed' },
    ],
  },
  states: {
    /**
     * Before the customer's first message. With a missed call, the template was the bot's first
     * question, so silence is checked from here; an inbound conversation is created with its first
     * message already on the way, so it waits for nothing.
     */
    awaitingReply: {
      entry: enqueueActions(({ context, enqueue }) => {
        if (context.origin === 'missed_call') enqueue('scheduleSilenceCheck');
      }),
      on: {
        CUSTOMER_MESSAGE: [
          { guard: 'asksForHuman', target: 'handedOff' },
          // The introduction stands in for the greeting: saying both repeats ourselves.
          INTRODUCE_OURSELVES,
          {
            guard: 'isInbound',
            target: 'routing',
            actions: [learnExpecting(null), { type: 'say', params: { key: 'lead.greeting', vars: {} } }],
          },
          // The missed-call template asks no one question, so its reply has no free-text
          // fallback: only what the service extracted counts.
          { target: 'routing', actions: [learnExpecting(null)] },
        ],
      },
    },
    /** Transient: asks for the first missing detail, or completes. Never persisted. */
    routing: {
      always: [
        { guard: 'hasAllDetails', target: 'completed' },
        { guard: 'lacksName', target: 'askingName' },
        { guard: 'lacksNeed', target: 'askingNeed' },
        { target: 'askingTime' },
      ],
    },
    askingName: {
      entry: [{ type: 'say', params: { key: 'lead.askName', vars: {} } }, 'scheduleSilenceCheck'],
      on: { CUSTOMER_MESSAGE: answerTo('name') },
    },
    askingNeed: {
      entry: [
        {
          type: 'say',
          params: ({ context }) => ({ key: 'lead.askNeed', vars: { name: context.name ?? '' } }),
        },
        'scheduleSilenceCheck',
      ],
      on: { CUSTOMER_MESSAGE: answerTo('need') },
    },
    askingTime: {
      entry: [{ type: 'say', params: { key: 'lead.askTime', vars: {} } }, 'scheduleSilenceCheck'],
      on: { CUSTOMER_MESSAGE: answerTo('preferredTime') },
    },
    completed: {
      type: 'final',
      entry: [
        {
          type: 'say',
          params: ({ context }) => ({ key: 'lead.thanks', vars: { name: context.name ?? '' } }),
        },
        { type: 'saveLead', params: ({ context }) => ({ status: 'complete', ...details(context) }) },
        { type: 'notifyOwner', params: ({ context }) => ({ kind: 'lead', ...details(context) }) },
        'cancelSilenceCheck',
      ],
    },
    /** The customer asked for a person: the owner takes over and the bot says nothing more. */
    handedOff: {
      type: 'final',
      entry: [
        { type: 'say', params: { key: 'lead.handoff', vars: {} } },
        { type: 'saveLead', params: ({ context }) => ({ status: 'handoff', ...details(context) }) },
        { type: 'notifyOwner', params: ({ context }) => ({ kind: 'handoff', ...details(context) }) },
        'cancelSilenceCheck',
      ],
    },
    /** The customer went silent: whatever was learnt is kept as a partial lead. */
    closed: {
      type: 'final',
      entry: [
        { type: 'saveLead', params: ({ context }) => ({ status: 'partial', ...details(context) }) },
        {
          type: 'notifyOwner',
          params: ({ context }) => ({ kind: 'partial_lead', ...details(context) }),
        },
        'cancelSilenceCheck',
      ],
    },
    /** Ends quietly: no message, no lead, no owner alert. */
    optedOut: {
      type: 'final',
      entry: ['cancelSilenceCheck'],
    },
  },
});

/** The transitions of an asking state: a handoff, an introduction, or an answer to `field`. */
function answerTo(field: LeadField) {
  return [
    { guard: 'asksForHuman', target: 'handedOff' },
    INTRODUCE_OURSELVES,
    { target: 'routing', actions: [learnExpecting(field)] },
  ] as const;
}

/** The live snapshot, or the persisted JSON the service loads from MongoDB. */
type SnapshotLike =
  | Pick<SnapshotFrom<typeof leadCaptureMachine>, 'status' | 'value'>
  | {
      status: string;
      value: unknown;
    };

/** The field the bot last asked for and waits to hear, or null when it asked for none. */
export function expectingOf(snapshot: SnapshotLike): LeadField | null {
  switch (snapshot.value) {
    case 'askingName':
      return 'name';
    case 'askingNeed':
      return 'need';
    case 'askingTime':
      return 'preferredTime';
    default:
      return null;
  }
}

/** How the conversation began. */
export function originOf(snapshot: { context: Pick<LeadCaptureContext, 'origin'> }): LeadOrigin {
  return snapshot.context.origin;
}

/** How a finished conversation ended. */
export type LeadCaptureOutcome = 'completed' | 'handedOff' | 'closed' | 'optedOut';

const OUTCOMES: readonly string[] = ['completed', 'handedOff', 'closed', 'optedOut'];

/** Whether the conversation has ended (any final state); a finished one takes no more events. */
export function isFinished(snapshot: SnapshotLike): boolean {
  return snapshot.status === 'done';
}

/** How the conversation ended, or null while it is still open. */
export function outcomeOf(snapshot: SnapshotLike): LeadCaptureOutcome | null {
  if (snapshot.status !== 'done' || typeof snapshot.value !== 'string') return null;
  return OUTCOMES.includes(snapshot.value) ? (snapshot.value as LeadCaptureOutcome) : null;
}

/**
 * Whether the owner has taken the conversation over: the bot must stay silent to this customer
 * (the service should pass their messages to the owner rather than start a new capture).
 */
export function isHandedOff(snapshot: SnapshotLike): boolean {
  return outcomeOf(snapshot) === 'handedOff';
}
