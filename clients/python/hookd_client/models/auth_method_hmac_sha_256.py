from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AuthMethodHmacSha256")


@_attrs_define
class AuthMethodHmacSha256:
    """
    Attributes:
        client_id (str):
        client_secret (str):
        type_ (Literal['hmac_sha256']):
    """

    client_id: str
    client_secret: str
    type_: Literal["hmac_sha256"]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        client_secret = self.client_secret

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_id": client_id,
                "client_secret": client_secret,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client_id = d.pop("client_id")

        client_secret = d.pop("client_secret")

        type_ = cast(Literal["hmac_sha256"], d.pop("type"))
        if type_ != "hmac_sha256":
            raise ValueError(f"type must match const 'hmac_sha256', got '{type_}'")

        auth_method_hmac_sha_256 = cls(
            client_id=client_id,
            client_secret=client_secret,
            type_=type_,
        )

        auth_method_hmac_sha_256.additional_properties = d
        return auth_method_hmac_sha_256

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
