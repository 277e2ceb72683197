from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.payload_format import PayloadFormat
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.transformation_trial_headers import TransformationTrialHeaders


T = TypeVar("T", bound="TransformationTrial")


@_attrs_define
class TransformationTrial:
    """Transformation code and the event to try it on.

    Example:
        {'code': 'function handler(webhook) {\\n  webhook.payload = {text: `New ${webhook.eventType}`};\\n  return
            webhook;\\n}', 'event_type': 'invoice.paid'}

    Attributes:
        code (str):
        event_type (str):
        headers (TransformationTrialHeaders | Unset): The webhook's headers, as the handler sees them.
        payload (Any | Unset):
        payload_format (PayloadFormat | Unset):
        url (None | str | Unset): The webhook's URL, as the handler sees it (`https://example.com/webhook` when absent).
    """

    code: str
    event_type: str
    headers: TransformationTrialHeaders | Unset = UNSET
    payload: Any | Unset = UNSET
    payload_format: PayloadFormat | Unset = UNSET
    url: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        event_type = self.event_type

        headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.headers, Unset):
            headers = self.headers.to_dict()

        payload = self.payload

        payload_format: str | Unset = UNSET
        if not isinstance(self.payload_format, Unset):
            payload_format = self.payload_format.value

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "event_type": event_type,
            }
        )
        if headers is not UNSET:
            field_dict["headers"] = headers
        if payload is not UNSET:
            field_dict["payload"] = payload
        if payload_format is not UNSET:
            field_dict["payload_format"] = payload_format
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.transformation_trial_headers import TransformationTrialHeaders  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        event_type = d.pop("event_type")

        _headers = d.pop("headers", UNSET)
        headers: TransformationTrialHeaders | Unset
        if isinstance(_headers, Unset):
            headers = UNSET
        else:
            headers = TransformationTrialHeaders.from_dict(_headers)

        payload = d.pop("payload", UNSET)

        _payload_format = d.pop("payload_format", UNSET)
        payload_format: PayloadFormat | Unset
        if isinstance(_payload_format, Unset):
            payload_format = UNSET
        else:
            payload_format = PayloadFormat(_payload_format)

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        transformation_trial = cls(
            code=code,
            event_type=event_type,
            headers=headers,
            payload=payload,
            payload_format=payload_format,
            url=url,
        )

        return transformation_trial
