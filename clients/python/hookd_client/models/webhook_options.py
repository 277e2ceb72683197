from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.content_type import ContentType
from ..models.payload_format import PayloadFormat
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.webhook_options_headers import WebhookOptionsHeaders


T = TypeVar("T", bound="WebhookOptions")


@_attrs_define
class WebhookOptions:
    """
    Attributes:
        batch_window_ms (int | Unset): With `max_events_per_request` > 1: how long the first event waits for others to
            fill
            its request, so that a burst goes out in full batches whatever its timing. Default: 50.
        content_type (ContentType | Unset):  Default: ContentType.JSON.
        headers (WebhookOptionsHeaders | Unset):
        legacy_signature (bool | Unset):  Default: False.
        max_events_per_request (int | Unset):  Default: 1.
        max_in_flight (int | Unset): Requests out at once at most (per node; one while the circuit is open). Beside it,
            an
            org's webhooks together get an even split of a node's slots with the other orgs'. Default: 32.
        ordered (bool | Unset):  Default: False.
        payload (PayloadFormat | Unset):  Default: PayloadFormat.ENVELOPE.
        rate_limit_per_s (int | None | Unset): Requests a second at most (per node); `null`: no limit.
        timeout_ms (int | Unset):  Default: 10000.
        traceparent (bool | Unset): Sends a W3C `traceparent` header: the attempt's span while hookd exports traces,
            otherwise the one the event was published with, if any. Default: False.
        verify_tls (bool | Unset):  Default: True.
    """

    batch_window_ms: int | Unset = 50
    content_type: ContentType | Unset = ContentType.JSON
    headers: WebhookOptionsHeaders | Unset = UNSET
    legacy_signature: bool | Unset = False
    max_events_per_request: int | Unset = 1
    max_in_flight: int | Unset = 32
    ordered: bool | Unset = False
    payload: PayloadFormat | Unset = PayloadFormat.ENVELOPE
    rate_limit_per_s: int | None | Unset = UNSET
    timeout_ms: int | Unset = 10000
    traceparent: bool | Unset = False
    verify_tls: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        batch_window_ms = self.batch_window_ms

        content_type: str | Unset = UNSET
        if not isinstance(self.content_type, Unset):
            content_type = self.content_type.value

        headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.headers, Unset):
            headers = self.headers.to_dict()

        legacy_signature = self.legacy_signature

        max_events_per_request = self.max_events_per_request

        max_in_flight = self.max_in_flight

        ordered = self.ordered

        payload: str | Unset = UNSET
        if not isinstance(self.payload, Unset):
            payload = self.payload.value

        rate_limit_per_s: int | None | Unset
        if isinstance(self.rate_limit_per_s, Unset):
            rate_limit_per_s = UNSET
        else:
            rate_limit_per_s = self.rate_limit_per_s

        timeout_ms = self.timeout_ms

        traceparent = self.traceparent

        verify_tls = self.verify_tls

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if batch_window_ms is not UNSET:
            field_dict["batch_window_ms"] = batch_window_ms
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if headers is not UNSET:
            field_dict["headers"] = headers
        if legacy_signature is not UNSET:
            field_dict["legacy_signature"] = legacy_signature
        if max_events_per_request is not UNSET:
            field_dict["max_events_per_request"] = max_events_per_request
        if max_in_flight is not UNSET:
            field_dict["max_in_flight"] = max_in_flight
        if ordered is not UNSET:
            field_dict["ordered"] = ordered
        if payload is not UNSET:
            field_dict["payload"] = payload
        if rate_limit_per_s is not UNSET:
            field_dict["rate_limit_per_s"] = rate_limit_per_s
        if timeout_ms is not UNSET:
            field_dict["timeout_ms"] = timeout_ms
        if traceparent is not UNSET:
            field_dict["traceparent"] = traceparent
        if verify_tls is not UNSET:
            field_dict["verify_tls"] = verify_tls

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_options_headers import WebhookOptionsHeaders  # noqa: PLC0415

        d = dict(src_dict)
        batch_window_ms = d.pop("batch_window_ms", UNSET)

        _content_type = d.pop("content_type", UNSET)
        content_type: ContentType | Unset
        if isinstance(_content_type, Unset):
            content_type = UNSET
        else:
            content_type = ContentType(_content_type)

        _headers = d.pop("headers", UNSET)
        headers: WebhookOptionsHeaders | Unset
        if isinstance(_headers, Unset):
            headers = UNSET
        else:
            headers = WebhookOptionsHeaders.from_dict(_headers)

        legacy_signature = d.pop("legacy_signature", UNSET)

        max_events_per_request = d.pop("max_events_per_request", UNSET)

        max_in_flight = d.pop("max_in_flight", UNSET)

        ordered = d.pop("ordered", UNSET)

        _payload = d.pop("payload", UNSET)
        payload: PayloadFormat | Unset
        if isinstance(_payload, Unset):
            payload = UNSET
        else:
            payload = PayloadFormat(_payload)

        def _parse_rate_limit_per_s(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rate_limit_per_s = _parse_rate_limit_per_s(d.pop("rate_limit_per_s", UNSET))

        timeout_ms = d.pop("timeout_ms", UNSET)

        traceparent = d.pop("traceparent", UNSET)

        verify_tls = d.pop("verify_tls", UNSET)

        webhook_options = cls(
            batch_window_ms=batch_window_ms,
            content_type=content_type,
            headers=headers,
            legacy_signature=legacy_signature,
            max_events_per_request=max_events_per_request,
            max_in_flight=max_in_flight,
            ordered=ordered,
            payload=payload,
            rate_limit_per_s=rate_limit_per_s,
            timeout_ms=timeout_ms,
            traceparent=traceparent,
            verify_tls=verify_tls,
        )

        return webhook_options
