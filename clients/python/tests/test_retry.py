import time
import unittest

from _support import ScriptedServer, envelope, error_body

from migrateclouds import APIConnectionError, RateLimitError, ServiceError

ACCOUNT = {"id": "acc_1", "name": "A", "plan": "pro", "rate_limit": {"requests_per_minute": 60},
           "created_at": "2025-01-31T12:00:00.000Z"}
LIMITED = (429, {"Retry-After": "1"}, error_body("rate_limit_exceeded", "Rate limit exceeded"))


class RetryTest(unittest.TestCase):
    def setUp(self) -> None:
        self.server: ScriptedServer

    def serve(self, *answers):
        self.server = ScriptedServer(list(answers))
        self.addCleanup(self.server.close)
        return self.server

    def test_waits_for_retry_after_then_succeeds(self):
        server = self.serve(LIMITED, LIMITED, (200, {}, envelope(ACCOUNT)))
        started = time.monotonic()
        account = server.client().account.get()
        elapsed = time.monotonic() - started
        self.assertEqual(account.id, "acc_1")
        self.assertEqual(len(server.requests), 3)
        self.assertGreaterEqual(elapsed, 2.0)  # two waits of Retry-After: 1
        self.assertLess(elapsed, 5.0)

    def test_gives_up_after_max_retries_with_retry_after(self):
        server = self.serve((429, {"Retry-After": "7"}, error_body("rate_limit_exceeded", "Slow down")))
        waits = []
        with self.assertRaises(RateLimitError) as caught:
            server.client(sleep=waits.append, max_retries=2).account.get()
        self.assertEqual(waits, [7.0, 7.0])
        self.assertEqual(len(server.requests), 3)
        self.assertEqual(caught.exception.retry_after, 7.0)
        self.assertEqual(caught.exception.status, 429)

    def test_does_not_wait_longer_than_max_retry_wait(self):
        server = self.serve((429, {"Retry-After": "120"}, error_body("rate_limit_exceeded", "Slow down")))
        waits = []
        with self.assertRaises(RateLimitError):
            server.client(sleep=waits.append, max_retry_wait=60).account.get()
        self.assertEqual(waits, [])
        self.assertEqual(len(server.requests), 1)

    def test_max_retries_zero_turns_retrying_off(self):
        server = self.serve(LIMITED, (200, {}, envelope(ACCOUNT)))
        with self.assertRaises(RateLimitError):
            server.client(max_retries=0).account.get()
        self.assertEqual(len(server.requests), 1)

    def test_retries_transient_502_and_503_on_gets_with_backoff(self):
        bad = (502, {}, error_body("service_error", "Drive failed"))
        busy = (503, {"Content-Type": "text/html"}, b"<html>busy</html>")
        server = self.serve(bad, busy, (200, {}, envelope(ACCOUNT)))
        waits = []
        self.assertEqual(server.client(sleep=waits.append).account.get().plan, "pro")
        self.assertEqual(waits, [0.5, 1.0])

    def test_post_is_not_repeated_on_502(self):
        server = self.serve((502, {}, error_body("service_error", "Temporal refused the start")))
        waits = []
        with self.assertRaises(ServiceError):
            server.client(sleep=waits.append).migrations.create(
                {"connection_id": "conn_a", "path": "/"}, {"connection_id": "conn_b", "path": "/x"}
            )
        self.assertEqual(len(server.requests), 1)

    def test_create_retries_with_the_same_idempotency_key(self):
        busy = (503, {}, error_body("service_error", "Store busy"))
        migration = {"id": "mig_1", "status": "pending"}
        server = self.serve(busy, (202, {}, envelope(migration)))
        created = server.client(sleep=lambda s: None).migrations.create(
            {"connection_id": "conn_a", "path": "/"}, {"connection_id": "conn_b", "path": "/x"}
        )
        self.assertEqual(created.id, "mig_1")
        keys = [r["headers"]["idempotency-key"] for r in server.requests]
        self.assertEqual(len(keys), 2)
        self.assertEqual(keys[0], keys[1])
        # A new call gets a new key.
        server.client().migrations.create({"connection_id": "a", "path": "/"}, {"connection_id": "b", "path": "/"})
        self.assertNotEqual(server.requests[-1]["headers"]["idempotency-key"], keys[0])

    def test_unreachable_server_is_a_connection_error(self):
        server = self.serve((200, {}, envelope(ACCOUNT)))
        client = server.client(sleep=lambda s: None, max_retries=1)
        server.close()
        with self.assertRaises(APIConnectionError):
            client.account.get()


if __name__ == "__main__":
    unittest.main()
