from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DestinationS3")


@_attrs_define
class DestinationS3:
    """`PutObject` into an Amazon S3 bucket, one object a request, named
    `{prefix}{webhook-id}.json`.

        Attributes:
            access_key (str):
            bucket (str):
            region (str):
            secret_key (str):
            type_ (Literal['s3']):
            endpoint (None | str | Unset):
            prefix (None | str | Unset):
    """

    access_key: str
    bucket: str
    region: str
    secret_key: str
    type_: Literal["s3"]
    endpoint: None | str | Unset = UNSET
    prefix: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_key = self.access_key

        bucket = self.bucket

        region = self.region

        secret_key = self.secret_key

        type_ = self.type_

        endpoint: None | str | Unset
        if isinstance(self.endpoint, Unset):
            endpoint = UNSET
        else:
            endpoint = self.endpoint

        prefix: None | str | Unset
        if isinstance(self.prefix, Unset):
            prefix = UNSET
        else:
            prefix = self.prefix

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access_key": access_key,
                "bucket": bucket,
                "region": region,
                "secret_key": secret_key,
                "type": type_,
            }
        )
        if endpoint is not UNSET:
            field_dict["endpoint"] = endpoint
        if prefix is not UNSET:
            field_dict["prefix"] = prefix

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        access_key = d.pop("access_key")

        bucket = d.pop("bucket")

        region = d.pop("region")

        secret_key = d.pop("secret_key")

        type_ = cast(Literal["s3"], d.pop("type"))
        if type_ != "s3":
            raise ValueError(f"type must match const 's3', got '{type_}'")

        def _parse_endpoint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        endpoint = _parse_endpoint(d.pop("endpoint", UNSET))

        def _parse_prefix(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        prefix = _parse_prefix(d.pop("prefix", UNSET))

        destination_s3 = cls(
            access_key=access_key,
            bucket=bucket,
            region=region,
            secret_key=secret_key,
            type_=type_,
            endpoint=endpoint,
            prefix=prefix,
        )

        destination_s3.additional_properties = d
        return destination_s3

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
