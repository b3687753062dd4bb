// Delivering one webhook attempt: load the delivery's event body and endpoint, sign, POST, record the
// attempt. 2xx delivers; timeouts, connection errors, 5xx and 429 are retried by Temporal (the delivery
// workflow's policy); any other answer, and a target the outbound policy refuses, end the delivery.
import http from 'node:http';
import https from 'node:https';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { webhookDeliveriesTotal, type WebhookOutcomeLabel } from '../common/metrics';
import { checkUrlSyntax, guardedLookup, OutboundUrlError, type OutboundPolicy } from '../common/outbound-url';
import type { SecretBox } from '../common/secret-box';
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  signatureHeader,
} from '../common/webhook-signature';
import type { Store, WebhookDeliveryAttempt, WebhookDeliveryStatus } from '../store/types';
import { DeliverRequest, WEBHOOK_FAILURES, WebhookDeliveryActivities } from '../contract';

export interface WebhookDeliveryDeps {
  store: Store;
  /** Opens sealed signing secrets; absent when MIGRATECLOUDS_ENCRYPTION_KEY is not set. */
  box?: SecretBox;
  policy: OutboundPolicy;
}

/** The longest Retry-After a 429 may ask for (the backoff goes on from there). */
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;
const USER_AGENT = 'MigrateClouds-Webhooks/1';

interface SendResult {
  statusCode: number;
  retryAfter?: string;
}

/** One POST, no redirects followed, connecting only to addresses the policy allows. */
export function postJson(
  url: string,
  headers: Record<string, string>,
  body: string,
  opts: { policy: OutboundPolicy; timeoutMs: number },
): Promise<SendResult> {
  const checked = checkUrlSyntax(url, opts.policy);
  const transport = checked.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(checked.url, {
      method: 'POST',
      headers: {
        ...headers,
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(body)),
        'User-Agent': USER_AGENT,
      },
      lookup: guardedLookup(opts.policy),
      // A fresh connection per attempt: nothing pooled outlives the address check.
      agent: false,
    });
    const deadline = setTimeout(
      () => req.destroy(new Error(`No answer within ${opts.timeoutMs / 1000} s`)),
      opts.timeoutMs,
    );
    req.on('response', (res) => {
      clearTimeout(deadline);
      const retryAfter = res.headers['retry-after'];
      resolve({
        statusCode: res.statusCode ?? 0,
        retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
      });
      // The body is not needed: drain a little, then let the connection go.
      res.resume();
      setTimeout(() => res.destroy(), 1_000).unref();
    });
    req.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    req.end(body);
  });
}

/** Network failures in words; Node's own messages name the address a host resolved to. */
const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'The receiver refused the connection',
  ECONNRESET: 'The connection was reset',
  ETIMEDOUT: 'The connection timed out',
  EHOSTUNREACH: 'The receiver is unreachable',
  ENETUNREACH: 'The receiver’s network is unreachable',
  EPIPE: 'The connection was closed while sending',
  ENOTFOUND: 'The host name does not resolve',
  EAI_AGAIN: 'The host name could not be resolved (temporary DNS failure)',
};
const ADDRESS =
  /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\[?(?:(?:[0-9a-f]{1,4}:)+|:):(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?[.\d]*\]?(?::\d+)?|\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b/gi;

/** What a failed attempt records (and the account reads): the kind of failure, never an address. */
export function describeSendError(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && NETWORK_ERRORS[code]) return NETWORK_ERRORS[code];
  if (typeof code === 'string' && /CERT|TLS|SSL/.test(code)) return `The TLS handshake failed (${code})`;
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(ADDRESS, '<address>');
}

function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, MAX_RETRY_AFTER_MS) : undefined;
}

const ATTEMPT_OUTCOME: Record<WebhookDeliveryStatus, WebhookOutcomeLabel> = {
  delivered: 'delivered',
  pending: 'attempt_failed',
  failed: 'refused',
};

const attemptNumber = (): number => {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
};

export function webhookDeliveryActivities(deps: WebhookDeliveryDeps): WebhookDeliveryActivities {
  const { store } = deps;
  /** Records an attempt, and counts it once recorded: `pending` will be retried, `failed` was refused. */
  const record = async (
    req: DeliverRequest,
    attempt: Omit<WebhookDeliveryAttempt, 'attempt' | 'createdAt'>,
    status: WebhookDeliveryStatus,
  ) => {
    await store.webhooks.recordAttempt(
      req.accountId,
      req.deliveryId,
      { ...attempt, attempt: attemptNumber(), createdAt: new Date().toISOString() },
      status,
    );
    webhookDeliveriesTotal.inc({ outcome: ATTEMPT_OUTCOME[status] });
  };

  return {
    async deliverWebhook(req: DeliverRequest): Promise<{ statusCode: number }> {
      const loaded = await store.webhooks.loadForSending(req.accountId, req.deliveryId);
      if (!loaded) {
        throw ApplicationFailure.nonRetryable(
          'The webhook or its event no longer exists',
          WEBHOOK_FAILURES.gone,
        );
      }
      const { delivery, event, webhook } = loaded;
      // Delivered by an earlier attempt whose completion was lost: do not send it twice.
      if (delivery.status === 'delivered') return { statusCode: delivery.lastStatusCode ?? 200 };

      const sealed = await store.webhooks.readSecret(req.accountId, webhook.id);
      if (!sealed || !deps.box) {
        // An operator can fix this within the retry window (set the key the API sealed the secret with).
        const error =
          'The signing secret cannot be opened: MIGRATECLOUDS_ENCRYPTION_KEY is not set on the worker';
        await record(req, { statusCode: null, latencyMs: 0, error }, 'pending');
        throw ApplicationFailure.retryable(error, WEBHOOK_FAILURES.retryable);
      }
      let secret: string;
      try {
        secret = deps.box.open(sealed, webhook.id);
      } catch {
        const error = 'The signing secret cannot be opened with this MIGRATECLOUDS_ENCRYPTION_KEY';
        await record(req, { statusCode: null, latencyMs: 0, error }, 'pending');
        throw ApplicationFailure.retryable(error, WEBHOOK_FAILURES.retryable);
      }
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = {
        [SIGNATURE_HEADER]: signatureHeader(secret, event.payload, timestamp),
        [EVENT_HEADER]: event.type,
        [DELIVERY_HEADER]: delivery.id,
      };

      const started = performance.now();
      const latency = () => Math.round(performance.now() - started);
      let result: SendResult;
      try {
        result = await postJson(webhook.url, headers, event.payload, {
          policy: deps.policy,
          timeoutMs: req.attemptTimeoutSeconds * 1000,
        });
      } catch (err) {
        const message = describeSendError(err);
        if (err instanceof OutboundUrlError) {
          const error = `Refused: the URL ${message}`;
          await record(req, { statusCode: null, latencyMs: latency(), error }, 'failed');
          throw ApplicationFailure.nonRetryable(error, WEBHOOK_FAILURES.targetRefused);
        }
        await record(req, { statusCode: null, latencyMs: latency(), error: message }, 'pending');
        throw ApplicationFailure.retryable(message, WEBHOOK_FAILURES.retryable);
      }

      const { statusCode } = result;
      const latencyMs = latency();
      if (statusCode >= 200 && statusCode < 300) {
        await record(req, { statusCode, latencyMs, error: null }, 'delivered');
        return { statusCode };
      }
      if (statusCode === 429 || statusCode >= 500) {
        const error = `The receiver answered HTTP ${statusCode}`;
        await record(req, { statusCode, latencyMs, error }, 'pending');
        throw ApplicationFailure.create({
          message: error,
          type: WEBHOOK_FAILURES.retryable,
          nextRetryDelay: statusCode === 429 ? retryAfterMs(result.retryAfter) : undefined,
        });
      }
      const error =
        statusCode >= 300 && statusCode < 400
          ? `The receiver answered HTTP ${statusCode} (redirects are not followed)`
          : `The receiver answered HTTP ${statusCode}; retries stop on a 4xx other than 429`;
      await record(req, { statusCode, latencyMs, error }, 'failed');
      throw ApplicationFailure.nonRetryable(error, WEBHOOK_FAILURES.refusedByReceiver);
    },

    /** The delivery workflow's last word once retries are over (24 hours, or a non-retryable answer). */
    async markWebhookDeliveryFailed(req: { accountId: string; deliveryId: string; reason: string }) {
      // Counted only when this ended a delivery still pending (a refused one was counted as `refused`).
      if (await store.webhooks.markFailed(req.accountId, req.deliveryId, req.reason))
        webhookDeliveriesTotal.inc({ outcome: 'gave_up' });
    },
  };
}
