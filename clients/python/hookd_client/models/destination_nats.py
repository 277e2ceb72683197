from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DestinationNats")


@_attrs_define
class DestinationNats:
    """A NATS subject (acknowledged when a JetStream stream captures it).

    Attributes:
        subject (str):
        type_ (Literal['nats']):
        url (str):
    """

    subject: str
    type_: Literal["nats"]
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        subject = self.subject

        type_ = self.type_

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "subject": subject,
                "type": type_,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        subject = d.pop("subject")

        type_ = cast(Literal["nats"], d.pop("type"))
        if type_ != "nats":
            raise ValueError(f"type must match const 'nats', got '{type_}'")

        url = d.pop("url")

        destination_nats = cls(
            subject=subject,
            type_=type_,
            url=url,
        )

        destination_nats.additional_properties = d
        return destination_nats

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
