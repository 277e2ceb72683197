from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pulled_message_headers import PulledMessageHeaders


T = TypeVar("T", bound="PulledMessage")


@_attrs_define
class PulledMessage:
    """One delivery as its consumer pulls it: what an HTTP delivery would carry.

    Attributes:
        body (str): The body exactly as signed (the envelope, thin or raw, as the webhook's options say).
        event_id (str):
        event_type (str):
        headers (PulledMessageHeaders): The headers an HTTP delivery would carry, lower-case, among them `webhook-id`,
            `webhook-timestamp` and `webhook-signature` (signed at this pull).
        id (str):
    """

    body: str
    event_id: str
    event_type: str
    headers: PulledMessageHeaders
    id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        body = self.body

        event_id = self.event_id

        event_type = self.event_type

        headers = self.headers.to_dict()

        id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "body": body,
                "event_id": event_id,
                "event_type": event_type,
                "headers": headers,
                "id": id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pulled_message_headers import PulledMessageHeaders  # noqa: PLC0415

        d = dict(src_dict)
        body = d.pop("body")

        event_id = d.pop("event_id")

        event_type = d.pop("event_type")

        headers = PulledMessageHeaders.from_dict(d.pop("headers"))

        id = d.pop("id")

        pulled_message = cls(
            body=body,
            event_id=event_id,
            event_type=event_type,
            headers=headers,
            id=id,
        )

        pulled_message.additional_properties = d
        return pulled_message

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
