from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DestinationKinesis")


@_attrs_define
class DestinationKinesis:
    """`PutRecord` (`PutRecords` for batches) on an Amazon Kinesis stream; the partition key
    defaults to the event's ID.

        Attributes:
            access_key (str):
            region (str):
            secret_key (str):
            stream (str):
            type_ (Literal['kinesis']):
            endpoint (None | str | Unset):
            partition_key (None | str | Unset):
    """

    access_key: str
    region: str
    secret_key: str
    stream: str
    type_: Literal["kinesis"]
    endpoint: None | str | Unset = UNSET
    partition_key: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_key = self.access_key

        region = self.region

        secret_key = self.secret_key

        stream = self.stream

        type_ = self.type_

        endpoint: None | str | Unset
        if isinstance(self.endpoint, Unset):
            endpoint = UNSET
        else:
            endpoint = self.endpoint

        partition_key: None | str | Unset
        if isinstance(self.partition_key, Unset):
            partition_key = UNSET
        else:
            partition_key = self.partition_key

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access_key": access_key,
                "region": region,
                "secret_key": secret_key,
                "stream": stream,
                "type": type_,
            }
        )
        if endpoint is not UNSET:
            field_dict["endpoint"] = endpoint
        if partition_key is not UNSET:
            field_dict["partition_key"] = partition_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        access_key = d.pop("access_key")

        region = d.pop("region")

        secret_key = d.pop("secret_key")

        stream = d.pop("stream")

        type_ = cast(Literal["kinesis"], d.pop("type"))
        if type_ != "kinesis":
            raise ValueError(f"type must match const 'kinesis', got '{type_}'")

        def _parse_endpoint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        endpoint = _parse_endpoint(d.pop("endpoint", UNSET))

        def _parse_partition_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        partition_key = _parse_partition_key(d.pop("partition_key", UNSET))

        destination_kinesis = cls(
            access_key=access_key,
            region=region,
            secret_key=secret_key,
            stream=stream,
            type_=type_,
            endpoint=endpoint,
            partition_key=partition_key,
        )

        destination_kinesis.additional_properties = d
        return destination_kinesis

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
