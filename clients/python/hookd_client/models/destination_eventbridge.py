from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DestinationEventbridge")


@_attrs_define
class DestinationEventbridge:
    """`PutEvents` on an Amazon EventBridge bus; `detail_type` defaults to the event type.

    Attributes:
        access_key (str):
        event_bus (str):
        region (str):
        secret_key (str):
        source (str):
        type_ (Literal['eventbridge']):
        detail_type (None | str | Unset):
        endpoint (None | str | Unset):
    """

    access_key: str
    event_bus: str
    region: str
    secret_key: str
    source: str
    type_: Literal["eventbridge"]
    detail_type: None | str | Unset = UNSET
    endpoint: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_key = self.access_key

        event_bus = self.event_bus

        region = self.region

        secret_key = self.secret_key

        source = self.source

        type_ = self.type_

        detail_type: None | str | Unset
        if isinstance(self.detail_type, Unset):
            detail_type = UNSET
        else:
            detail_type = self.detail_type

        endpoint: None | str | Unset
        if isinstance(self.endpoint, Unset):
            endpoint = UNSET
        else:
            endpoint = self.endpoint

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access_key": access_key,
                "event_bus": event_bus,
                "region": region,
                "secret_key": secret_key,
                "source": source,
                "type": type_,
            }
        )
        if detail_type is not UNSET:
            field_dict["detail_type"] = detail_type
        if endpoint is not UNSET:
            field_dict["endpoint"] = endpoint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        access_key = d.pop("access_key")

        event_bus = d.pop("event_bus")

        region = d.pop("region")

        secret_key = d.pop("secret_key")

        source = d.pop("source")

        type_ = cast(Literal["eventbridge"], d.pop("type"))
        if type_ != "eventbridge":
            raise ValueError(f"type must match const 'eventbridge', got '{type_}'")

        def _parse_detail_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        detail_type = _parse_detail_type(d.pop("detail_type", UNSET))

        def _parse_endpoint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        endpoint = _parse_endpoint(d.pop("endpoint", UNSET))

        destination_eventbridge = cls(
            access_key=access_key,
            event_bus=event_bus,
            region=region,
            secret_key=secret_key,
            source=source,
            type_=type_,
            detail_type=detail_type,
            endpoint=endpoint,
        )

        destination_eventbridge.additional_properties = d
        return destination_eventbridge

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
