"""A webhook receiver that checks every request's signature before trusting it.

    export MIGRATECLOUDS_WEBHOOK_SECRET=whsec_…   # shown once, when the webhook was created
    python3 verify_webhook.py 8080

Answers 204 to a verified event (printing it) and 400 to anything else; register its URL with
client.webhooks.create(url, events). A delivery is retried with the same MigrateClouds-Delivery id:
a real receiver remembers the ids it has handled and ignores repeats.
"""

import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from migrateclouds import WebhookVerificationError, verify_webhook

SECRET = os.environ.get("MIGRATECLOUDS_WEBHOOK_SECRET", "")
seen = set()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))  # the raw bytes, as signed
        try:
            event = verify_webhook(SECRET, dict(self.headers.items()), body)
        except WebhookVerificationError as e:
            print(f"refused: {e.message}", flush=True)
            self.send_response(400)
        else:
            if event.delivery_id not in seen:
                seen.add(event.delivery_id)
                print(f"verified {event.type} {event.id} (delivery {event.delivery_id})", flush=True)
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def main(argv: list) -> int:
    if not SECRET:
        print("Set MIGRATECLOUDS_WEBHOOK_SECRET to the webhook's whsec_… secret", file=sys.stderr)
        return 2
    port = int(argv[0]) if argv else 8080
    server = HTTPServer(("127.0.0.1", port), Receiver)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
