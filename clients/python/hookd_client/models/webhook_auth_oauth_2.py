from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.webhook_auth_per_org import WebhookAuthPerOrg


T = TypeVar("T", bound="WebhookAuthOauth2")


@_attrs_define
class WebhookAuthOauth2:
    """
    Attributes:
        client_id (str):
        client_secret (str):
        token_url (str):
        type_ (Literal['oauth2']):
        audience (None | str | Unset):
        per_org (WebhookAuthPerOrg | Unset): Credentials to use instead for the events of a child organization, by its
            ID.
        scope (None | str | Unset):
    """

    client_id: str
    client_secret: str
    token_url: str
    type_: Literal["oauth2"]
    audience: None | str | Unset = UNSET
    per_org: WebhookAuthPerOrg | Unset = UNSET
    scope: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        client_secret = self.client_secret

        token_url = self.token_url

        type_ = self.type_

        audience: None | str | Unset
        if isinstance(self.audience, Unset):
            audience = UNSET
        else:
            audience = self.audience

        per_org: dict[str, Any] | Unset = UNSET
        if not isinstance(self.per_org, Unset):
            per_org = self.per_org.to_dict()

        scope: None | str | Unset
        if isinstance(self.scope, Unset):
            scope = UNSET
        else:
            scope = self.scope

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_id": client_id,
                "client_secret": client_secret,
                "token_url": token_url,
                "type": type_,
            }
        )
        if audience is not UNSET:
            field_dict["audience"] = audience
        if per_org is not UNSET:
            field_dict["per_org"] = per_org
        if scope is not UNSET:
            field_dict["scope"] = scope

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_auth_per_org import WebhookAuthPerOrg  # noqa: PLC0415

        d = dict(src_dict)
        client_id = d.pop("client_id")

        client_secret = d.pop("client_secret")

        token_url = d.pop("token_url")

        type_ = cast(Literal["oauth2"], d.pop("type"))
        if type_ != "oauth2":
            raise ValueError(f"type must match const 'oauth2', got '{type_}'")

        def _parse_audience(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        audience = _parse_audience(d.pop("audience", UNSET))

        _per_org = d.pop("per_org", UNSET)
        per_org: WebhookAuthPerOrg | Unset
        if isinstance(_per_org, Unset):
            per_org = UNSET
        else:
            per_org = WebhookAuthPerOrg.from_dict(_per_org)

        def _parse_scope(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        scope = _parse_scope(d.pop("scope", UNSET))

        webhook_auth_oauth_2 = cls(
            client_id=client_id,
            client_secret=client_secret,
            token_url=token_url,
            type_=type_,
            audience=audience,
            per_org=per_org,
            scope=scope,
        )

        webhook_auth_oauth_2.additional_properties = d
        return webhook_auth_oauth_2

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
