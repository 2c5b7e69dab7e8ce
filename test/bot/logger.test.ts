/** Log lines never hold a customer's phone (logs outlive `customer forget`), nor a secret. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../bot/logger.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe('the logger', () => {
  it('replaces phones in messages, fields and errors by one opaque reference per customer', () => {
    const { logger, lines } = capture();
    logger.warn({ job: 'missed-call-followup', err: 'lock customer:+972527654321 is busy' }, 'job failed');
    logger.info({ from: '972527654321' }, 'message from 052-765-4321');
    logger.error({ err: new Error('send to +972 52-765-4321 failed') }, 'boom');
    const text = lines.join('');
    expect(text).not.toMatch(/527654321|765-4321/);
    const refs = new Set(text.match(/phone#[0-9a-f]{8}/g));
    expect(refs.size).toBe(1);
    expect(JSON.parse(lines[0])).toMatchObject({ job: 'missed-call-followup', msg: 'job failed' });
  });

  it('keeps ids, counts and times as they are, and still hides secrets', () => {
    const { logger, lines } = capture();
    logger.info(
      { tenantId: '6b0f75fb9bd75e3f0fd603e4', count: 1234567, at: '2026-12-02T01:37:21.035Z', whatsapp: { token: 'abc' } },
      'done',
    );
    expect(JSON.parse(lines[0])).toMatchObject({
      tenantId: '6b0f75fb9bd75e3f0fd603e4',
      count: 1234567,
      at: '2026-12-02T01:37:21.035Z',
      whatsapp: { token: '[secret]' },
    });
  });
});
