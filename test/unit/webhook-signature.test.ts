// Webhook signatures: the header format, verification of the exact bytes, and the replay window.
import { createHmac } from 'node:crypto';
import { newWebhookSecret, signatureHeader, verifySignature } from '../../common/webhook-signature';

describe('webhook signatures', () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({ id: 'evt_1', type: 'webhook.test', created_at: 'x', data: {} });

  it('is t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    const header = signatureHeader(secret, body, 1_700_000_000);
    const hex = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(header).toBe(`t=1700000000,v1=${hex}`);
    expect(secret).toMatch(/^whsec_[0-9A-Za-z]{40}$/);
  });

  it('verifies the exact body with the right secret, within five minutes', () => {
    const now = 1_700_000_000;
    const header = signatureHeader(secret, body, now);
    expect(verifySignature(secret, header, body, { nowSeconds: now + 299 })).toBe(true);
    expect(verifySignature(secret, header, Buffer.from(body), { nowSeconds: now })).toBe(true);
    expect(verifySignature(secret, header, `${body} `, { nowSeconds: now })).toBe(false);
    expect(verifySignature(newWebhookSecret(), header, body, { nowSeconds: now })).toBe(false);
    // A replay after the window, a forged timestamp, garbage.
    expect(verifySignature(secret, header, body, { nowSeconds: now + 301 })).toBe(false);
    expect(
      verifySignature(secret, header.replace(`t=${now}`, `t=${now + 10}`), body, { nowSeconds: now }),
    ).toBe(false);
    expect(verifySignature(secret, undefined, body)).toBe(false);
    expect(verifySignature(secret, 'v1=abc', body)).toBe(false);
  });
});
