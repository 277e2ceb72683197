from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.webhook_auth_headers_headers import WebhookAuthHeadersHeaders
    from ..models.webhook_auth_per_org import WebhookAuthPerOrg


T = TypeVar("T", bound="WebhookAuthHeaders")


@_attrs_define
class WebhookAuthHeaders:
    """
    Attributes:
        headers (WebhookAuthHeadersHeaders):
        type_ (Literal['headers']):
        per_org (WebhookAuthPerOrg | Unset): Credentials to use instead for the events of a child organization, by its
            ID.
    """

    headers: WebhookAuthHeadersHeaders
    type_: Literal["headers"]
    per_org: WebhookAuthPerOrg | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        headers = self.headers.to_dict()

        type_ = self.type_

        per_org: dict[str, Any] | Unset = UNSET
        if not isinstance(self.per_org, Unset):
            per_org = self.per_org.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "headers": headers,
                "type": type_,
            }
        )
        if per_org is not UNSET:
            field_dict["per_org"] = per_org

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_auth_headers_headers import WebhookAuthHeadersHeaders  # noqa: PLC0415
        from ..models.webhook_auth_per_org import WebhookAuthPerOrg  # noqa: PLC0415

        d = dict(src_dict)
        headers = WebhookAuthHeadersHeaders.from_dict(d.pop("headers"))

        type_ = cast(Literal["headers"], d.pop("type"))
        if type_ != "headers":
            raise ValueError(f"type must match const 'headers', got '{type_}'")

        _per_org = d.pop("per_org", UNSET)
        per_org: WebhookAuthPerOrg | Unset
        if isinstance(_per_org, Unset):
            per_org = UNSET
        else:
            per_org = WebhookAuthPerOrg.from_dict(_per_org)

        webhook_auth_headers = cls(
            headers=headers,
            type_=type_,
            per_org=per_org,
        )

        webhook_auth_headers.additional_properties = d
        return webhook_auth_headers

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
