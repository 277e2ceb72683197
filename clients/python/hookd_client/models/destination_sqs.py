from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DestinationSqs")


@_attrs_define
class DestinationSqs:
    """`SendMessage` (`SendMessageBatch` for batches) to an Amazon SQS queue.

    Attributes:
        access_key (str):
        queue_url (str):
        region (str):
        secret_key (str):
        type_ (Literal['sqs']):
        endpoint (None | str | Unset):
    """

    access_key: str
    queue_url: str
    region: str
    secret_key: str
    type_: Literal["sqs"]
    endpoint: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_key = self.access_key

        queue_url = self.queue_url

        region = self.region

        secret_key = self.secret_key

        type_ = self.type_

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
                "queue_url": queue_url,
                "region": region,
                "secret_key": secret_key,
                "type": type_,
            }
        )
        if endpoint is not UNSET:
            field_dict["endpoint"] = endpoint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        access_key = d.pop("access_key")

        queue_url = d.pop("queue_url")

        region = d.pop("region")

        secret_key = d.pop("secret_key")

        type_ = cast(Literal["sqs"], d.pop("type"))
        if type_ != "sqs":
            raise ValueError(f"type must match const 'sqs', got '{type_}'")

        def _parse_endpoint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        endpoint = _parse_endpoint(d.pop("endpoint", UNSET))

        destination_sqs = cls(
            access_key=access_key,
            queue_url=queue_url,
            region=region,
            secret_key=secret_key,
            type_=type_,
            endpoint=endpoint,
        )

        destination_sqs.additional_properties = d
        return destination_sqs

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
