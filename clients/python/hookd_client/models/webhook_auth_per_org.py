from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.auth_method_aws_4 import AuthMethodAws4
    from ..models.auth_method_basic import AuthMethodBasic
    from ..models.auth_method_headers import AuthMethodHeaders
    from ..models.auth_method_hmac_sha_256 import AuthMethodHmacSha256
    from ..models.auth_method_mtls import AuthMethodMtls
    from ..models.auth_method_none import AuthMethodNone
    from ..models.auth_method_oauth_2 import AuthMethodOauth2
    from ..models.auth_method_token import AuthMethodToken


T = TypeVar("T", bound="WebhookAuthPerOrg")


@_attrs_define
class WebhookAuthPerOrg:
    """Credentials to use instead for the events of a child organization, by its ID."""

    additional_properties: dict[
        str,
        AuthMethodAws4
        | AuthMethodBasic
        | AuthMethodHeaders
        | AuthMethodHmacSha256
        | AuthMethodMtls
        | AuthMethodNone
        | AuthMethodOauth2
        | AuthMethodToken,
    ] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.auth_method_aws_4 import AuthMethodAws4  # noqa: PLC0415
        from ..models.auth_method_basic import AuthMethodBasic  # noqa: PLC0415
        from ..models.auth_method_headers import AuthMethodHeaders  # noqa: PLC0415
        from ..models.auth_method_hmac_sha_256 import AuthMethodHmacSha256  # noqa: PLC0415
        from ..models.auth_method_none import AuthMethodNone  # noqa: PLC0415
        from ..models.auth_method_oauth_2 import AuthMethodOauth2  # noqa: PLC0415
        from ..models.auth_method_token import AuthMethodToken  # noqa: PLC0415

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            if isinstance(prop, AuthMethodNone):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, AuthMethodHeaders):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, AuthMethodBasic):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, AuthMethodToken):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, AuthMethodHmacSha256):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, AuthMethodAws4):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, AuthMethodOauth2):
                field_dict[prop_name] = prop.to_dict()
            else:
                field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.auth_method_aws_4 import AuthMethodAws4  # noqa: PLC0415
        from ..models.auth_method_basic import AuthMethodBasic  # noqa: PLC0415
        from ..models.auth_method_headers import AuthMethodHeaders  # noqa: PLC0415
        from ..models.auth_method_hmac_sha_256 import AuthMethodHmacSha256  # noqa: PLC0415
        from ..models.auth_method_mtls import AuthMethodMtls  # noqa: PLC0415
        from ..models.auth_method_none import AuthMethodNone  # noqa: PLC0415
        from ..models.auth_method_oauth_2 import AuthMethodOauth2  # noqa: PLC0415
        from ..models.auth_method_token import AuthMethodToken  # noqa: PLC0415

        d = dict(src_dict)
        webhook_auth_per_org = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():

            def _parse_additional_property(
                data: object,
            ) -> (
                AuthMethodAws4
                | AuthMethodBasic
                | AuthMethodHeaders
                | AuthMethodHmacSha256
                | AuthMethodMtls
                | AuthMethodNone
                | AuthMethodOauth2
                | AuthMethodToken
            ):
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_auth_method_type_0 = AuthMethodNone.from_dict(data)

                    return componentsschemas_auth_method_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_auth_method_type_1 = AuthMethodHeaders.from_dict(data)

                    return componentsschemas_auth_method_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_auth_method_type_2 = AuthMethodBasic.from_dict(data)

                    return componentsschemas_auth_method_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_auth_method_type_3 = AuthMethodToken.from_dict(data)

                    return componentsschemas_auth_method_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_auth_method_type_4 = AuthMethodHmacSha256.from_dict(data)

                    return componentsschemas_auth_method_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_auth_method_type_5 = AuthMethodAws4.from_dict(data)

                    return componentsschemas_auth_method_type_5
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_auth_method_type_6 = AuthMethodOauth2.from_dict(data)

                    return componentsschemas_auth_method_type_6
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_auth_method_type_7 = AuthMethodMtls.from_dict(data)

                return componentsschemas_auth_method_type_7

            additional_property = _parse_additional_property(prop_dict)

            additional_properties[prop_name] = additional_property

        webhook_auth_per_org.additional_properties = additional_properties
        return webhook_auth_per_org

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(
        self, key: str
    ) -> (
        AuthMethodAws4
        | AuthMethodBasic
        | AuthMethodHeaders
        | AuthMethodHmacSha256
        | AuthMethodMtls
        | AuthMethodNone
        | AuthMethodOauth2
        | AuthMethodToken
    ):
        return self.additional_properties[key]

    def __setitem__(
        self,
        key: str,
        value: AuthMethodAws4
        | AuthMethodBasic
        | AuthMethodHeaders
        | AuthMethodHmacSha256
        | AuthMethodMtls
        | AuthMethodNone
        | AuthMethodOauth2
        | AuthMethodToken,
    ) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
