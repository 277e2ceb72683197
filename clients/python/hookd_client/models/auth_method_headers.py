from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.auth_method_headers_headers import AuthMethodHeadersHeaders


T = TypeVar("T", bound="AuthMethodHeaders")


@_attrs_define
class AuthMethodHeaders:
    """
    Attributes:
        headers (AuthMethodHeadersHeaders):
        type_ (Literal['headers']):
    """

    headers: AuthMethodHeadersHeaders
    type_: Literal["headers"]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        headers = self.headers.to_dict()

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "headers": headers,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.auth_method_headers_headers import AuthMethodHeadersHeaders  # noqa: PLC0415

        d = dict(src_dict)
        headers = AuthMethodHeadersHeaders.from_dict(d.pop("headers"))

        type_ = cast(Literal["headers"], d.pop("type"))
        if type_ != "headers":
            raise ValueError(f"type must match const 'headers', got '{type_}'")

        auth_method_headers = cls(
            headers=headers,
            type_=type_,
        )

        auth_method_headers.additional_properties = d
        return auth_method_headers

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
