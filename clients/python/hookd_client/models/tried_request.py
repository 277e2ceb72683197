from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tried_request_headers import TriedRequestHeaders


T = TypeVar("T", bound="TriedRequest")


@_attrs_define
class TriedRequest:
    """A request as a transformation left it, before hookd adds its own headers and signs it.

    Attributes:
        body (str):
        headers (TriedRequestHeaders):
        method (str):
        url (str):
    """

    body: str
    headers: TriedRequestHeaders
    method: str
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        body = self.body

        headers = self.headers.to_dict()

        method = self.method

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "body": body,
                "headers": headers,
                "method": method,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tried_request_headers import TriedRequestHeaders  # noqa: PLC0415

        d = dict(src_dict)
        body = d.pop("body")

        headers = TriedRequestHeaders.from_dict(d.pop("headers"))

        method = d.pop("method")

        url = d.pop("url")

        tried_request = cls(
            body=body,
            headers=headers,
            method=method,
            url=url,
        )

        tried_request.additional_properties = d
        return tried_request

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
