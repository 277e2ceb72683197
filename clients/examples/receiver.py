"""A receiver that checks what hookd sends: the Standard Webhooks signature (with the
`standardwebhooks` package) and GitHub's X-Hub-Signature-256 (in plain code), then answers 204.

    WEBHOOK_SECRET=whsec_... PORT=8000 python receiver.py
"""

import base64
import hashlib
import hmac
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

from standardwebhooks import Webhook, WebhookVerificationError

SECRET = os.environ["WEBHOOK_SECRET"]
KEY = base64.b64decode(SECRET.removeprefix("whsec_"))  # the key both signatures use


def hub_signature_ok(body: bytes, header: str) -> bool:
    expected = "sha256=" + hmac.new(KEY, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        try:
            Webhook(SECRET).verify(body, dict(self.headers))  # signature and timestamp (5 min)
        except WebhookVerificationError:
            self.send_response(401)
            self.end_headers()
            return
        if not hub_signature_ok(body, self.headers.get("X-Hub-Signature-256", "")):
            self.send_response(401)
            self.end_headers()
            return
        # webhook-id stays the same across retries and re-sends: de-duplicate on it.
        print("verified", self.headers["webhook-id"], self.headers["X-Hookd-Event"], flush=True)
        self.send_response(204)
        self.end_headers()


HTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8000"))), Receiver).serve_forever()
