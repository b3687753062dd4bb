// A webhook receiver that checks every delivery's signature with the SDK before trusting it.
//   MIGRATECLOUDS_WEBHOOK_SECRET=whsec_… PORT=8080 node dist/examples/typescript/verify-webhook.js
// Register it with `migrateclouds webhooks create https://your-host/hooks --events migration.completed`.
import http from 'node:http';
import { verifyWebhook, WebhookVerificationError } from '@migrateclouds/client';

const secret = process.env.MIGRATECLOUDS_WEBHOOK_SECRET;
if (!secret)
  throw new Error('Set MIGRATECLOUDS_WEBHOOK_SECRET to the whsec_… shown when the webhook was created');
const seen = new Set<string>(); // delivery ids already handled (keep them in a database in earnest)

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    try {
      // The raw bytes, exactly as received: parsing and re-serializing would change what was signed.
      const event = verifyWebhook(secret, req.headers, Buffer.concat(chunks));
      const delivery = String(req.headers['migrateclouds-delivery'] ?? event.id);
      if (!seen.has(delivery)) {
        seen.add(delivery);
        console.log(`verified ${event.type} ${event.id}`);
      }
      res.writeHead(204).end();
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      console.log(`refused: ${err.message}`);
      res.writeHead(400).end();
    }
  });
});

server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(`listening on http://127.0.0.1:${port}/`);
});
process.on('SIGTERM', () => server.close());
