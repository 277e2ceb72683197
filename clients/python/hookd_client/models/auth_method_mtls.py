from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AuthMethodMtls")


@_attrs_define
class AuthMethodMtls:
    """
    Attributes:
        cert_pem (str):
        key_pem (str):
        type_ (Literal['mtls']):
    """

    cert_pem: str
    key_pem: str
    type_: Literal["mtls"]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cert_pem = self.cert_pem

        key_pem = self.key_pem

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cert_pem": cert_pem,
                "key_pem": key_pem,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cert_pem = d.pop("cert_pem")

        key_pem = d.pop("key_pem")

        type_ = cast(Literal["mtls"], d.pop("type"))
        if type_ != "mtls":
            raise ValueError(f"type must match const 'mtls', got '{type_}'")

        auth_method_mtls = cls(
            cert_pem=cert_pem,
            key_pem=key_pem,
            type_=type_,
        )

        auth_method_mtls.additional_properties = d
        return auth_method_mtls

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
