from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DestinationRabbitmq")


@_attrs_define
class DestinationRabbitmq:
    """A RabbitMQ exchange (AMQP 0-9-1, publisher confirms): `amqps://user:password@host/vhost`.

    Attributes:
        routing_key (str):
        type_ (Literal['rabbitmq']):
        url (str):
        exchange (str | Unset): Empty for the default exchange (the routing key then names a queue).
    """

    routing_key: str
    type_: Literal["rabbitmq"]
    url: str
    exchange: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        routing_key = self.routing_key

        type_ = self.type_

        url = self.url

        exchange = self.exchange

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "routing_key": routing_key,
                "type": type_,
                "url": url,
            }
        )
        if exchange is not UNSET:
            field_dict["exchange"] = exchange

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        routing_key = d.pop("routing_key")

        type_ = cast(Literal["rabbitmq"], d.pop("type"))
        if type_ != "rabbitmq":
            raise ValueError(f"type must match const 'rabbitmq', got '{type_}'")

        url = d.pop("url")

        exchange = d.pop("exchange", UNSET)

        destination_rabbitmq = cls(
            routing_key=routing_key,
            type_=type_,
            url=url,
            exchange=exchange,
        )

        destination_rabbitmq.additional_properties = d
        return destination_rabbitmq

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
