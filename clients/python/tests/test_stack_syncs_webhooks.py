"""Against a running stack: recurring syncs, and webhooks delivered to a receiver in this process.

The webhook test needs the server started with MIGRATECLOUDS_WEBHOOK_ALLOW_PRIVATE=true, so that it
may deliver to http://127.0.0.1 (the jest wrapper test/clients/python.test.ts does so).
"""

import threading
import time
import unittest
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from _support import demo_connection, stack_client

from migrateclouds import NotFoundError, WebhookVerificationError, verify_webhook


class SyncsTest(unittest.TestCase):
    def test_sync_lifecycle(self):
        client = stack_client()
        drive, dropbox = demo_connection(client, "google_drive"), demo_connection(client, "dropbox")
        sync = client.syncs.create(
            {"connection_id": drive, "path": "/Recipes"},
            {"connection_id": dropbox, "path": f"/py-sdk/sync-{uuid.uuid4().hex[:8]}"},
            {"interval": "1h"},
            paused=True,
        )
        self.assertEqual((sync.state, sync.schedule, sync.timezone), ("paused", {"interval": "1h"}, "UTC"))
        self.assertIsNone(sync.next_run_at)
        self.assertIn(sync.id, [s.id for s in client.syncs.iter(page_size=1)])
        updated = client.syncs.update(sync.id, schedule={"cron": "0 3 * * *"}, timezone="Europe/Berlin")
        self.assertEqual((updated.schedule, updated.timezone), ({"cron": "0 3 * * *"}, "Europe/Berlin"))
        resumed = client.syncs.resume(sync.id)
        self.assertEqual(resumed.state, "active")
        self.assertIsNotNone(resumed.next_run_at)
        self.assertEqual(client.syncs.pause(sync.id).state, "paused")
        self.assertEqual(list(client.syncs.iter_runs(sync.id)), [])
        client.syncs.delete(sync.id)
        with self.assertRaises(NotFoundError):
            client.syncs.get(sync.id)


class Receiver:
    """Records every POST it gets, byte for byte."""

    def __init__(self):
        self.received = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.received.append((dict(self.headers.items()), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hooks"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class WebhooksTest(unittest.TestCase):
    def test_a_real_delivery_verifies_and_a_tampered_one_does_not(self):
        client = stack_client()
        receiver = Receiver()
        self.addCleanup(receiver.close)
        webhook = client.webhooks.create(receiver.url, ["migration.completed"], description="py-sdk test")
        self.addCleanup(client.webhooks.delete, webhook.id)
        self.assertTrue(webhook.secret.startswith("whsec_"))
        self.assertEqual(webhook.events, ("migration.completed",))
        listed = [w for w in client.webhooks.iter() if w.id == webhook.id]
        self.assertEqual([w.secret for w in listed], [None])

        delivery = client.webhooks.test(webhook.id)
        deadline = time.monotonic() + 60
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertEqual(len(receiver.received), 1, "no delivery within 60 s")
        headers, body = receiver.received[0]

        event = verify_webhook(webhook.secret, headers, body)
        self.assertEqual((event.type, event.delivery_id), ("webhook.test", delivery.id))
        self.assertEqual(event.data["webhook_id"], webhook.id)
        with self.assertRaises(WebhookVerificationError):
            verify_webhook(webhook.secret, headers, body.replace(b"webhook.test", b"webhook.fake"))
        with self.assertRaises(WebhookVerificationError):
            verify_webhook("whsec_not_the_secret", headers, body)

        while client.webhooks.get_delivery(webhook.id, delivery.id).status == "pending":
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.2)
        detail = client.webhooks.get_delivery(webhook.id, delivery.id)
        self.assertEqual((detail.status, detail.last_status_code), ("delivered", 204))
        self.assertEqual([a.status_code for a in detail.attempt_log], [204])
        self.assertIn(delivery.id, [d.id for d in client.webhooks.iter_deliveries(webhook.id)])


if __name__ == "__main__":
    unittest.main()
