import hashlib
import hmac
import json
import time
import unittest

import _support  # noqa: F401

from migrateclouds import WebhookVerificationError, verify_webhook

SECRET = "whsec_0123456789abcdefghijABCDEFGHIJ0123456789"
BODY = json.dumps({"id": "evt_1", "type": "migration.completed", "created_at": "2025-01-31T12:00:00.000Z",
                   "data": {"id": "mig_1", "status": "completed"}}).encode()


def sign(body: bytes, t: int, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()


def headers(body: bytes = BODY, t=None, secret: str = SECRET):
    t = int(time.time()) if t is None else t
    return {"MigrateClouds-Signature": f"t={t},v1={sign(body, t, secret)}", "MigrateClouds-Delivery": "dlv_1"}


class VerifyWebhookTest(unittest.TestCase):
    def test_accepts_a_signed_body_and_answers_the_event(self):
        event = verify_webhook(SECRET, headers(), BODY)
        self.assertEqual((event.id, event.type, event.delivery_id), ("evt_1", "migration.completed", "dlv_1"))
        self.assertEqual(event.data["status"], "completed")
        self.assertEqual(event.created_at.year, 2025)

    def test_header_names_in_any_case_and_a_str_body(self):
        given = {k.lower(): v for k, v in headers().items()}
        self.assertEqual(verify_webhook(SECRET, given, BODY.decode()).id, "evt_1")

    def test_refuses_a_tampered_body(self):
        with self.assertRaisesRegex(WebhookVerificationError, "does not match"):
            verify_webhook(SECRET, headers(), BODY.replace(b"completed", b"failed"))

    def test_refuses_another_secret(self):
        with self.assertRaisesRegex(WebhookVerificationError, "does not match"):
            verify_webhook(SECRET, headers(secret="whsec_other"), BODY)

    def test_refuses_old_and_future_timestamps_beyond_tolerance(self):
        now = int(time.time())
        for t in (now - 301, now + 301):
            with self.assertRaisesRegex(WebhookVerificationError, "300 seconds"):
                verify_webhook(SECRET, headers(t=t), BODY)
        self.assertEqual(verify_webhook(SECRET, headers(t=now - 290), BODY).id, "evt_1")
        self.assertEqual(verify_webhook(SECRET, headers(t=now - 1000), BODY, tolerance=2000).id, "evt_1")

    def test_refuses_missing_or_malformed_headers(self):
        t = int(time.time())
        for value in (None, "", "v1=abc", f"t=soon,v1={sign(BODY, t)}", f"t={t}", f"t={t},v1=XYZ"):
            given = {} if value is None else {"MigrateClouds-Signature": value}
            with self.assertRaises(WebhookVerificationError):
                verify_webhook(SECRET, given, BODY)

    def test_any_one_of_several_v1_signatures_is_enough(self):
        t = int(time.time())
        value = f"t={t},v1={sign(BODY, t, 'whsec_old')},v1={sign(BODY, t)}"
        self.assertEqual(verify_webhook(SECRET, {"MigrateClouds-Signature": value}, BODY).id, "evt_1")


if __name__ == "__main__":
    unittest.main()
