from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DestinationRedis")


@_attrs_define
class DestinationRedis:
    """`XADD` to a Redis stream.

    Attributes:
        stream (str):
        type_ (Literal['redis']):
        url (str):
    """

    stream: str
    type_: Literal["redis"]
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        stream = self.stream

        type_ = self.type_

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "stream": stream,
                "type": type_,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        stream = d.pop("stream")

        type_ = cast(Literal["redis"], d.pop("type"))
        if type_ != "redis":
            raise ValueError(f"type must match const 'redis', got '{type_}'")

        url = d.pop("url")

        destination_redis = cls(
            stream=stream,
            type_=type_,
            url=url,
        )

        destination_redis.additional_properties = d
        return destination_redis

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
