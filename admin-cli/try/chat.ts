/**
 * The terminal chat of `findo try`: the user holds the customer's phone or the owner's, what Findo
 * sends them (as the fake WhatsApp recorded it) appears as chat bubbles, what they type goes to
 * Findo as a signed WhatsApp webhook, and dimmed lines tell what Findo did meanwhile (its activity
 * feed and the jobs its workers ran).
 *
 * Interactive on a terminal; otherwise every input line is read the same way, one after the
 * other, which is how a test (or a scripted walkthrough) drives it. `/wait <text>` holds the next
 * line until a message containing the text has arrived.
 */
import { createInterface, type Interface } from 'node:readline';
import { styleText } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { ActivityModel } from '../../bot/db/models/index.ts';
import { formatNational } from '../../lib/phone.ts';
import { TEMPLATES, type TemplateName } from '../../bot/templates.ts';
import { templateBody, type Language } from '../../bot/texts/index.ts';
import type { FakeSentMessage } from '../../integrations/whatsapp/fake-server.ts';
import { bubble, visualLines } from './bubbles.ts';
import { DEMO_PHONES, type DemoPhone, type Sandbox } from './sandbox.ts';

/** How long `/wait` waits for its message. */
const WAIT_TIMEOUT_MS = 60_000;
/** How often the activity feed is read. */
const ACTIVITY_POLL_MS = 300;
/** Lines written at the same instant can commit out of order: each poll looks this far back again. */
const ACTIVITY_LOOKBACK_MS = 5_000;

const HELP = [
  'Type a WhatsApp message and press Enter to send it from the phone you hold. Commands:',
  '  /owner       switch to the owner’s phone (try עזרה, לידים, סטטיסטיקה, and אשר on a review draft)',
  '  /customer    switch back to the customer’s phone',
  '  /invoice     the business issues the customer an invoice (Greeninvoice): a review request follows',
  '  /review N    a new N★ Google review (1–5): high ones are answered, low ones drafted for the owner',
  '  /wait TEXT   wait (up to 60 s) for the next message that contains TEXT',
  '  /help        this list',
  '  /quit        stop everything (Ctrl-C and Ctrl-D too)',
  'Typing a button’s title taps that button.',
].join('\n');

const PHONE_LABEL: Record<DemoPhone, string> = { customer: 'customer', owner: 'owner' };

/** A mistake in what the user typed: told, and nothing changes. */
class InputError extends Error {}

export interface ChatIo {
  input: Readable;
  output: Writable;
  /** A person at a terminal (prompt, colours, Ctrl-C) rather than lines from a script. */
  interactive: boolean;
  columns: number;
}

export async function runChat(sandbox: Sandbox, io: ChatIo): Promise<void> {
  const chat = new Chat(sandbox, io);
  try {
    await chat.run();
  } finally {
    chat.dispose();
  }
}

class Chat {
  private phone: DemoPhone = 'customer';
  private readonly unseen: Record<DemoPhone, FakeSentMessage[]> = { customer: [], owner: [] };
  /** Messages before this index of `sent` are spent for `/wait`. */
  private waitCursor = 0;
  private ownerVisited = false;
  private readonly rl: Interface;
  /** Taken at once: lines read before anyone asks for them (a script piped in) are kept, not dropped. */
  private readonly lines: AsyncIterator<string>;
  /** Resolves when the user stops the chat (Ctrl-C, SIGTERM); the end of the input ends `lines`. */
  private readonly stopped: Promise<{ done: true; value: undefined }>;
  private readonly language: Language;
  private readonly disposers: Array<() => void> = [];

  constructor(
    private readonly sandbox: Sandbox,
    private readonly io: ChatIo,
  ) {
    this.language = sandbox.tenant.language;
    this.rl = createInterface({ input: io.input, output: io.interactive ? io.output : undefined, terminal: io.interactive });
    this.rl.setPrompt(this.prompt());
    this.lines = this.rl[Symbol.asyncIterator]();
    let stop!: () => void;
    this.stopped = new Promise((resolve) => (stop = () => resolve({ done: true, value: undefined })));
    this.rl.on('SIGINT', stop);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    this.disposers.push(() => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    });
  }

  async run(): Promise<void> {
    this.disposers.push(this.sandbox.whatsapp.onSent((message) => this.arrived(message)));
    this.disposers.push(this.sandbox.onLog((line) => this.activity(`⚠ ${line}`)));
    this.followJobs();
    const flushActivity = this.followActivity();

    this.banner();
    this.note(`📞 You call ${this.sandbox.tenant.name} from ${formatNational(DEMO_PHONES.customer)}; nobody answers.`);
    await this.sandbox.missedCall();
    this.rl.prompt();
    for (;;) {
      const next = await Promise.race([this.lines.next(), this.stopped]);
      if (next.done) break;
      try {
        // A stop also ends a command still waiting (a /wait).
        const quit = await Promise.race([this.handle(next.value.trim()), this.stopped.then(() => true)]);
        if (quit) break;
      } catch (error) {
        if (!(error instanceof InputError) && !this.io.interactive) throw error;
        this.note(`✗ ${(error as Error).message}`);
      }
      this.rl.prompt();
    }
    // What Findo did in answer to the last line, before everything stops.
    await flushActivity();
    // Ctrl-C leaves the cursor after the prompt.
    if (this.io.interactive) this.io.output.write('\n');
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    this.rl.close();
  }

  /** Carries out one line; true when the user asked to stop. */
  private async handle(line: string): Promise<boolean> {
    if (line === '') return false;
    const [command, ...rest] = line.split(/\s+/);
    const argument = rest.join(' ');
    if (!command.startsWith('/')) {
      // The typed line is shown again as the user's bubble.
      if (this.io.interactive) this.eraseTypedLine();
      await this.send(line);
      return false;
    }
    switch (command) {
      case '/help':
        this.print(HELP);
        return false;
      case '/quit':
      case '/exit':
        return true;
      case '/customer':
        this.switchTo('customer');
        return false;
      case '/owner':
        this.switchTo('owner');
        if (!this.ownerVisited) {
          this.ownerVisited = true;
          this.note(
            '⭐ Meanwhile a customer left a 2★ review on Google; Findo checks the reviews now and drafts a reply for you to approve.',
          );
          await this.sandbox.review(2);
        }
        return false;
      case '/invoice':
        this.note(`🧾 ${this.sandbox.tenant.name} issues the customer an invoice in Greeninvoice.`);
        await this.sandbox.invoice();
        return false;
      case '/review': {
        const stars = Number(argument);
        if (!/^[1-5]$/.test(argument)) throw new InputError('usage: /review N, with N from 1 to 5 stars');
        this.note(`⭐ A new ${stars}★ review on Google; Findo checks the reviews now.`);
        await this.sandbox.review(stars);
        return false;
      }
      case '/wait':
        if (!argument) throw new InputError('usage: /wait TEXT');
        await this.waitFor(argument);
        return false;
      default:
        throw new InputError(`unknown command ${command}; /help lists them`);
    }
  }

  /** What the user typed, sent from the phone they hold; a button's title taps the button. */
  private async send(text: string): Promise<void> {
    this.print(
      bubble(text, { columns: this.io.columns, side: this.side('mine'), footer: `you (${PHONE_LABEL[this.phone]}) · ${clock()}` }).join(
        '\n',
      ),
    );
    const button = this.buttonTitled(text);
    await this.sandbox.say(this.phone, button ? { button } : { text });
  }

  private buttonTitled(title: string): { id: string; title: string } | undefined {
    const last = this.sandbox.whatsapp.sent.findLast((m) => m.to === DEMO_PHONES[this.phone] && m.buttons?.length);
    return last?.buttons?.find((b) => b.title === title);
  }

  private switchTo(phone: DemoPhone): void {
    this.phone = phone;
    this.rl.setPrompt(this.prompt());
    this.note(`📱 You now hold the ${PHONE_LABEL[phone]}’s phone (${formatNational(DEMO_PHONES[phone])}).`);
    for (const message of this.unseen[phone].splice(0)) this.show(message);
  }

  private arrived(message: FakeSentMessage): void {
    const phone = (Object.keys(DEMO_PHONES) as DemoPhone[]).find((p) => DEMO_PHONES[p] === message.to);
    if (!phone) return;
    if (phone === this.phone) return this.show(message);
    this.unseen[phone].push(message);
    this.note(`📱 A new WhatsApp message on the ${PHONE_LABEL[phone]}’s phone (/${phone} to read it)`);
  }

  private show(message: FakeSentMessage): void {
    const { text, buttons } = messageView(message);
    const footer = [
      `${this.sandbox.tenant.name} · ${clock()}`,
      message.template ? `template ${message.template.name}` : '',
      ...buttons.map((b) => `[${b}]`),
    ]
      .filter(Boolean)
      .join(' · ');
    this.print(bubble(text, { columns: this.io.columns, side: this.side('theirs'), footer: display(footer) }).join('\n'));
  }

  /** WhatsApp mirrors the chat for right-to-left languages: received messages on the right. */
  private side(whose: 'mine' | 'theirs'): 'left' | 'right' {
    const rtl = this.language !== 'en';
    return (whose === 'theirs') === rtl ? 'right' : 'left';
  }

  private async waitFor(needle: string): Promise<void> {
    const { whatsapp } = this.sandbox;
    const find = () => {
      const index = whatsapp.sent.findIndex((m, i) => i >= this.waitCursor && messageView(m).text.includes(needle));
      if (index >= 0) this.waitCursor = index + 1;
      return index >= 0;
    };
    if (find()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`no message containing "${needle}" within ${WAIT_TIMEOUT_MS / 1000} s`));
      }, WAIT_TIMEOUT_MS);
      // A stop ends the wait early (run races it); the timer alone must not keep the process up.
      timer.unref();
      const unsubscribe = whatsapp.onSent(() => {
        if (!find()) return;
        clearTimeout(timer);
        unsubscribe();
        resolve();
      });
    });
  }

  /** The jobs Findo's workers ran, except the periodic housekeeping ones. */
  private followJobs(): void {
    const { agenda } = this.sandbox.findo.services;
    type Finished = { attrs: { name: string; repeatInterval?: unknown } };
    const ran = (job: Finished) => {
      if (!job.attrs.repeatInterval) this.activity(`job ${job.attrs.name} ran`);
    };
    const failed = (error: unknown, job: Finished) =>
      this.activity(`job ${job.attrs.name} failed: ${String((error as Error)?.message ?? error)}`);
    agenda.on('success', ran);
    agenda.on('fail', failed);
    this.disposers.push(() => {
      agenda.off('success', ran);
      agenda.off('fail', failed);
    });
  }

  /** The demo business's activity feed, as it grows; returns what reads it one last time. */
  private followActivity(): () => Promise<void> {
    const seen = new Set<string>();
    let cursor = new Date(0);
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const poll = async () => {
      const lines = await ActivityModel.find({
        tenantId: this.sandbox.tenant.id,
        at: { $gte: new Date(cursor.getTime() - ACTIVITY_LOOKBACK_MS) },
      })
        .sort({ at: 1, _id: 1 })
        .lean();
      for (const line of lines) {
        const id = String(line._id);
        if (seen.has(id)) continue;
        seen.add(id);
        if (line.at > cursor) cursor = line.at;
        this.activity(line.text);
      }
    };
    const next = () => {
      if (stopped) return;
      timer = setTimeout(
        () =>
          void poll()
            .catch(() => {})
            .finally(next),
        ACTIVITY_POLL_MS,
      );
    };
    next();
    this.disposers.push(() => {
      stopped = true;
      clearTimeout(timer);
    });
    return poll;
  }

  private banner(): void {
    const { sandbox } = this;
    this.print(
      [
        styleText(
          'bold',
          'findo try: the real Findo (web server, job workers, database) on this machine; WhatsApp and Google are local fakes.',
        ),
        `Business: ${sandbox.tenant.name}. You hold the customer’s phone (${formatNational(DEMO_PHONES.customer)}); the owner’s is ${formatNational(DEMO_PHONES.owner)}.`,
        sandbox.usesClaude
          ? `Texts: written by Claude (${sandbox.findo.services.config.anthropic.model}).`
          : 'Texts: no ANTHROPIC_API_KEY is set, so Findo uses its built-in texts (set one to have Claude write them).',
        `Findo: ${sandbox.findo.url} · fake WhatsApp: ${sandbox.whatsapp.url} · fake Google: ${sandbox.google.url}`,
        `Database: embedded ${sandbox.findo.database.embedded?.engine ?? ''}, in ${sandbox.dataDir} (removed when you quit).`,
        'Commands: /owner /customer /invoice /review N /help /quit',
      ]
        .map(display)
        .join('\n'),
    );
  }

  private prompt(): string {
    return this.io.interactive ? `${styleText('green', PHONE_LABEL[this.phone])}> ` : '';
  }

  private note(text: string): void {
    this.print(styleText('cyan', display(text)));
  }

  private activity(text: string): void {
    this.print(styleText('dim', `  ⚙ ${display(text)}`));
  }

  /** Writes above the prompt, then draws the prompt again with what the user had typed. */
  private print(text: string): void {
    const plain = this.io.interactive ? text : stripStyles(text);
    if (!this.io.interactive) {
      this.io.output.write(`${plain}\n`);
      return;
    }
    this.io.output.write('\r\x1b[K');
    this.io.output.write(`${plain}\n`);
    this.rl.prompt(true);
  }

  private eraseTypedLine(): void {
    this.io.output.write('\x1b[1A\r\x1b[K');
  }
}

/** A message as the phone would show it: its text (a template's body filled in) and button titles. */
function messageView(message: FakeSentMessage): { text: string; buttons: string[] } {
  if (message.template) {
    const { name, language, bodyParams } = message.template;
    const template = TEMPLATES[name as TemplateName];
    if (!template) return { text: `(template ${name}: ${bodyParams.join(' · ')})`, buttons: [] };
    const lang = language as Language;
    const text = templateBody(lang, template.bodyKey).replace(/\{\{(\d+)\}\}/g, (_, n: string) => bodyParams[Number(n) - 1] ?? '');
    return { text, buttons: template.buttons.map((b) => b.title[lang]) };
  }
  return { text: message.text ?? `(${message.type} message)`, buttons: message.buttons?.map((b) => b.title) ?? [] };
}

/** One-line text (English with Hebrew names in it) in display order. */
const display = (text: string): string =>
  visualLines(text, Number.MAX_SAFE_INTEGER)
    .map((line) => line.text)
    .join('\n');

const clock = () => new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

// eslint-disable-next-line no-control-regex -- ANSI styles begin with the ESC control character
const stripStyles = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');
