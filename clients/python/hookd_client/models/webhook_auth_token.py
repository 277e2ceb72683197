from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.webhook_auth_per_org import WebhookAuthPerOrg


T = TypeVar("T", bound="WebhookAuthToken")


@_attrs_define
class WebhookAuthToken:
    """
    Attributes:
        type_ (Literal['token']):
        value (str):
        key (None | str | Unset):
        per_org (WebhookAuthPerOrg | Unset): Credentials to use instead for the events of a child organization, by its
            ID.
    """

    type_: Literal["token"]
    value: str
    key: None | str | Unset = UNSET
    per_org: WebhookAuthPerOrg | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        value = self.value

        key: None | str | Unset
        if isinstance(self.key, Unset):
            key = UNSET
        else:
            key = self.key

        per_org: dict[str, Any] | Unset = UNSET
        if not isinstance(self.per_org, Unset):
            per_org = self.per_org.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "value": value,
            }
        )
        if key is not UNSET:
            field_dict["key"] = key
        if per_org is not UNSET:
            field_dict["per_org"] = per_org

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_auth_per_org import WebhookAuthPerOrg  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["token"], d.pop("type"))
        if type_ != "token":
            raise ValueError(f"type must match const 'token', got '{type_}'")

        value = d.pop("value")

        def _parse_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        key = _parse_key(d.pop("key", UNSET))

        _per_org = d.pop("per_org", UNSET)
        per_org: WebhookAuthPerOrg | Unset
        if isinstance(_per_org, Unset):
            per_org = UNSET
        else:
            per_org = WebhookAuthPerOrg.from_dict(_per_org)

        webhook_auth_token = cls(
            type_=type_,
            value=value,
            key=key,
            per_org=per_org,
        )

        webhook_auth_token.additional_properties = d
        return webhook_auth_token

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
