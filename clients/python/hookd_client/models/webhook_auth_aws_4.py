from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.webhook_auth_per_org import WebhookAuthPerOrg


T = TypeVar("T", bound="WebhookAuthAws4")


@_attrs_define
class WebhookAuthAws4:
    """
    Attributes:
        access_key (str):
        region (str):
        secret_key (str):
        service (str):
        type_ (Literal['aws4']):
        endpoint (None | str | Unset): The AWS endpoint the request is for, when the URL reaches it by another name (a
            VPC
            endpoint, a proxy): hookd signs for its host and sends it as `Host`.
        per_org (WebhookAuthPerOrg | Unset): Credentials to use instead for the events of a child organization, by its
            ID.
    """

    access_key: str
    region: str
    secret_key: str
    service: str
    type_: Literal["aws4"]
    endpoint: None | str | Unset = UNSET
    per_org: WebhookAuthPerOrg | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_key = self.access_key

        region = self.region

        secret_key = self.secret_key

        service = self.service

        type_ = self.type_

        endpoint: None | str | Unset
        if isinstance(self.endpoint, Unset):
            endpoint = UNSET
        else:
            endpoint = self.endpoint

        per_org: dict[str, Any] | Unset = UNSET
        if not isinstance(self.per_org, Unset):
            per_org = self.per_org.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access_key": access_key,
                "region": region,
                "secret_key": secret_key,
                "service": service,
                "type": type_,
            }
        )
        if endpoint is not UNSET:
            field_dict["endpoint"] = endpoint
        if per_org is not UNSET:
            field_dict["per_org"] = per_org

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_auth_per_org import WebhookAuthPerOrg  # noqa: PLC0415

        d = dict(src_dict)
        access_key = d.pop("access_key")

        region = d.pop("region")

        secret_key = d.pop("secret_key")

        service = d.pop("service")

        type_ = cast(Literal["aws4"], d.pop("type"))
        if type_ != "aws4":
            raise ValueError(f"type must match const 'aws4', got '{type_}'")

        def _parse_endpoint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        endpoint = _parse_endpoint(d.pop("endpoint", UNSET))

        _per_org = d.pop("per_org", UNSET)
        per_org: WebhookAuthPerOrg | Unset
        if isinstance(_per_org, Unset):
            per_org = UNSET
        else:
            per_org = WebhookAuthPerOrg.from_dict(_per_org)

        webhook_auth_aws_4 = cls(
            access_key=access_key,
            region=region,
            secret_key=secret_key,
            service=service,
            type_=type_,
            endpoint=endpoint,
            per_org=per_org,
        )

        webhook_auth_aws_4.additional_properties = d
        return webhook_auth_aws_4

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
