from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AuthMethodBasic")


@_attrs_define
class AuthMethodBasic:
    """
    Attributes:
        password (str):
        type_ (Literal['basic']):
        username (str):
    """

    password: str
    type_: Literal["basic"]
    username: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        password = self.password

        type_ = self.type_

        username = self.username

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "password": password,
                "type": type_,
                "username": username,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        password = d.pop("password")

        type_ = cast(Literal["basic"], d.pop("type"))
        if type_ != "basic":
            raise ValueError(f"type must match const 'basic', got '{type_}'")

        username = d.pop("username")

        auth_method_basic = cls(
            password=password,
            type_=type_,
            username=username,
        )

        auth_method_basic.additional_properties = d
        return auth_method_basic

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
