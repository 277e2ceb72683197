"""The Python client against a real hookd, as a SaaS team uses it: create an org, an event type,
an access token, a webhook to a receiver; publish; see the signed delivery arrive and its
attempt in the history; make a login link; read a problem. crates/hookd/tests/it/clients.rs
runs it with HOOKD_URL and HOOKD_OPERATOR_TOKEN set, against a `hookd serve` it started.
"""

from __future__ import annotations

import base64
import http.server
import os
import queue
import threading
import time
from typing import Any, TypeVar

from standardwebhooks import Webhook

from hookd_client import AuthenticatedClient
from hookd_client.api.event_types import create_event_type, list_event_types
from hookd_client.api.events import publish_event
from hookd_client.api.history import get_attempt, list_attempts
from hookd_client.api.members import create_login_link, create_member
from hookd_client.api.orgs import create_org
from hookd_client.api.tokens import create_token
from hookd_client.api.webhooks import create_webhook, get_webhook
from hookd_client.models import (
    Accepted,
    AttemptDetail,
    AttemptSummaryPage,
    CreatedToken,
    EventIn,
    EventTypeIn,
    EventTypePage,
    IssuedLink,
    LinkInput,
    Member,
    MemberIn,
    Org,
    OrgIn,
    Problem,
    Role,
    TokenIn,
    WebhookAuthBasic,
    WebhookIn,
    WebhookView,
)

URL = os.environ["HOOKD_URL"]
WAIT_S = 20.0


T = TypeVar("T")


def expect(kind: type[T], answer: object) -> T:
    assert isinstance(answer, kind), f"expected {kind.__name__}, got {answer!r}"
    return answer


class Receiver(http.server.BaseHTTPRequestHandler):
    """Answers 200 and hands each request's headers and body to the test."""

    received: queue.Queue[tuple[dict[str, str], bytes]] = queue.Queue()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.received.put(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def main() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver_url = f"http://127.0.0.1:{server.server_address[1]}/hooks"

    operator = AuthenticatedClient(base_url=URL, token=os.environ["HOOKD_OPERATOR_TOKEN"])
    org = expect(Org, create_org.sync(client=operator, body=OrgIn(name="Acme (Python)")))
    example = {"invoice": "in_1", "amount": 4200}
    create_event_type.sync(
        client=operator,
        body=EventTypeIn(name="invoice.paid", group="Billing", description="An invoice was paid", example=example),
    )
    create_event_type.sync(client=operator, body=EventTypeIn(name="invoice.voided", group="Billing"))

    # The catalog pages as every list does.
    first = expect(EventTypePage, list_event_types.sync(client=operator, limit=1, q="invoice."))
    assert [t.name for t in first.data] == ["invoice.paid"] and isinstance(first.next_cursor, str), first
    rest = expect(EventTypePage, list_event_types.sync(client=operator, limit=1, q="invoice.", cursor=first.next_cursor))
    assert [t.name for t in rest.data] == ["invoice.voided"], rest

    # The SaaS backend works with the org's own token from here on.
    created = expect(CreatedToken, create_token.sync(client=operator, org=org.id, body=TokenIn(name="backend", role=Role.ADMIN)))
    admin = AuthenticatedClient(base_url=URL, token=created.token_value)

    auth = WebhookAuthBasic(type_="basic", username="acme", password="s3cret")
    body = WebhookIn(name="Billing", url=receiver_url, event_types=["invoice.paid"], auth=auth)
    webhook = expect(WebhookView, create_webhook.sync(client=admin, org=org.id, body=body))
    secret = webhook.signing.secret
    assert isinstance(secret, str) and secret.startswith("whsec_"), webhook.signing
    shown = expect(WebhookView, get_webhook.sync(client=admin, org=org.id, id=webhook.id))
    assert isinstance(shown.auth, WebhookAuthBasic) and shown.auth.password != "s3cret", shown.auth

    # A bad request answers a problem naming the field.
    refused = create_webhook.sync(client=admin, org=org.id, body=WebhookIn(name="Bad", url="ftp://x", event_types=["invoice.paid"]))
    problem = expect(Problem, refused)
    assert problem.status == 422 and problem.field == "url", problem

    accepted = expect(
        Accepted,
        publish_event.sync(
            client=admin, org=org.id, body=EventIn(type_="invoice.paid", payload=example), idempotency_key="inv-1-paid"
        ),
    )
    assert len(accepted.deliveries) == 1, accepted

    headers, payload = Receiver.received.get(timeout=WAIT_S)
    Webhook(secret).verify(payload, headers)
    assert headers["authorization"] == "Basic " + base64.b64encode(b"acme:s3cret").decode()

    deadline = time.monotonic() + WAIT_S
    while True:
        page = expect(AttemptSummaryPage, list_attempts.sync(client=admin, org=org.id, webhook_id=webhook.id))
        if page.data:
            break
        assert time.monotonic() < deadline, "no attempt in the history"
        time.sleep(0.05)
    attempt = page.data[0]
    assert attempt.succeeded and attempt.response_status == 200 and attempt.event_types == ["invoice.paid"], attempt
    detail = expect(AttemptDetail, get_attempt.sync(client=admin, org=org.id, id=attempt.id))
    assert detail.request_body == payload.decode(), detail.request_body

    member = expect(
        Member,
        create_member.sync(client=admin, org=org.id, body=MemberIn(name="Ada", email="ada@example.com", role=Role.ADMIN)),
    )
    # Login links into the portal are the operator's to make (the SaaS product signs its users in).
    link = expect(IssuedLink, create_login_link.sync(client=operator, org=org.id, id=member.id, body=LinkInput()))
    assert link.url.startswith(URL) and "/login#" in link.url, link.url

    print(f"python client: org {org.id}, webhook {webhook.id}, attempt {attempt.id} verified, login link issued")


if __name__ == "__main__":
    main()
