from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.environment import Environment
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.destination_eventbridge import DestinationEventbridge
    from ..models.destination_http import DestinationHttp
    from ..models.destination_kinesis import DestinationKinesis
    from ..models.destination_nats import DestinationNats
    from ..models.destination_poll import DestinationPoll
    from ..models.destination_rabbitmq import DestinationRabbitmq
    from ..models.destination_redis import DestinationRedis
    from ..models.destination_s3 import DestinationS3
    from ..models.destination_sns import DestinationSns
    from ..models.destination_sqs import DestinationSqs
    from ..models.signing_in import SigningIn
    from ..models.transformation import Transformation
    from ..models.webhook_auth_aws_4 import WebhookAuthAws4
    from ..models.webhook_auth_basic import WebhookAuthBasic
    from ..models.webhook_auth_headers import WebhookAuthHeaders
    from ..models.webhook_auth_hmac_sha_256 import WebhookAuthHmacSha256
    from ..models.webhook_auth_mtls import WebhookAuthMtls
    from ..models.webhook_auth_none import WebhookAuthNone
    from ..models.webhook_auth_oauth_2 import WebhookAuthOauth2
    from ..models.webhook_auth_token import WebhookAuthToken
    from ..models.webhook_options import WebhookOptions
    from ..models.webhook_patch_filter_type_0 import WebhookPatchFilterType0


T = TypeVar("T", bound="WebhookPatch")


@_attrs_define
class WebhookPatch:
    """An edit: an absent field stays as it is; `null` clears the optional ones.

    Attributes:
        auth (None | Unset | WebhookAuthAws4 | WebhookAuthBasic | WebhookAuthHeaders | WebhookAuthHmacSha256 |
            WebhookAuthMtls | WebhookAuthNone | WebhookAuthOauth2 | WebhookAuthToken):
        description (None | str | Unset):
        destination (DestinationEventbridge | DestinationHttp | DestinationKinesis | DestinationNats | DestinationPoll |
            DestinationRabbitmq | DestinationRedis | DestinationS3 | DestinationSns | DestinationSqs | None | Unset):
        enabled (bool | None | Unset):
        environment (Environment | None | Unset):
        event_types (list[str] | None | Unset):
        filter_ (None | Unset | WebhookPatchFilterType0): `null` removes the filter.
        include_child_orgs (bool | None | Unset):
        name (None | str | Unset):
        options (None | Unset | WebhookOptions):
        owner_id (None | str | Unset):
        signing (None | SigningIn | Unset):
        transformation (None | Transformation | Unset):
        url (None | str | Unset):
    """

    auth: (
        None
        | Unset
        | WebhookAuthAws4
        | WebhookAuthBasic
        | WebhookAuthHeaders
        | WebhookAuthHmacSha256
        | WebhookAuthMtls
        | WebhookAuthNone
        | WebhookAuthOauth2
        | WebhookAuthToken
    ) = UNSET
    description: None | str | Unset = UNSET
    destination: (
        DestinationEventbridge
        | DestinationHttp
        | DestinationKinesis
        | DestinationNats
        | DestinationPoll
        | DestinationRabbitmq
        | DestinationRedis
        | DestinationS3
        | DestinationSns
        | DestinationSqs
        | None
        | Unset
    ) = UNSET
    enabled: bool | None | Unset = UNSET
    environment: Environment | None | Unset = UNSET
    event_types: list[str] | None | Unset = UNSET
    filter_: None | Unset | WebhookPatchFilterType0 = UNSET
    include_child_orgs: bool | None | Unset = UNSET
    name: None | str | Unset = UNSET
    options: None | Unset | WebhookOptions = UNSET
    owner_id: None | str | Unset = UNSET
    signing: None | SigningIn | Unset = UNSET
    transformation: None | Transformation | Unset = UNSET
    url: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.destination_eventbridge import DestinationEventbridge  # noqa: PLC0415
        from ..models.destination_http import DestinationHttp  # noqa: PLC0415
        from ..models.destination_kinesis import DestinationKinesis  # noqa: PLC0415
        from ..models.destination_nats import DestinationNats  # noqa: PLC0415
        from ..models.destination_poll import DestinationPoll  # noqa: PLC0415
        from ..models.destination_rabbitmq import DestinationRabbitmq  # noqa: PLC0415
        from ..models.destination_redis import DestinationRedis  # noqa: PLC0415
        from ..models.destination_s3 import DestinationS3  # noqa: PLC0415
        from ..models.destination_sns import DestinationSns  # noqa: PLC0415
        from ..models.destination_sqs import DestinationSqs  # noqa: PLC0415
        from ..models.signing_in import SigningIn  # noqa: PLC0415
        from ..models.transformation import Transformation  # noqa: PLC0415
        from ..models.webhook_auth_aws_4 import WebhookAuthAws4  # noqa: PLC0415
        from ..models.webhook_auth_basic import WebhookAuthBasic  # noqa: PLC0415
        from ..models.webhook_auth_headers import WebhookAuthHeaders  # noqa: PLC0415
        from ..models.webhook_auth_hmac_sha_256 import WebhookAuthHmacSha256  # noqa: PLC0415
        from ..models.webhook_auth_mtls import WebhookAuthMtls  # noqa: PLC0415
        from ..models.webhook_auth_none import WebhookAuthNone  # noqa: PLC0415
        from ..models.webhook_auth_oauth_2 import WebhookAuthOauth2  # noqa: PLC0415
        from ..models.webhook_auth_token import WebhookAuthToken  # noqa: PLC0415
        from ..models.webhook_options import WebhookOptions  # noqa: PLC0415
        from ..models.webhook_patch_filter_type_0 import WebhookPatchFilterType0  # noqa: PLC0415

        auth: dict[str, Any] | None | Unset
        if isinstance(self.auth, Unset):
            auth = UNSET
        elif isinstance(self.auth, WebhookAuthNone):
            auth = self.auth.to_dict()
        elif isinstance(self.auth, WebhookAuthHeaders):
            auth = self.auth.to_dict()
        elif isinstance(self.auth, WebhookAuthBasic):
            auth = self.auth.to_dict()
        elif isinstance(self.auth, WebhookAuthToken):
            auth = self.auth.to_dict()
        elif isinstance(self.auth, WebhookAuthHmacSha256):
            auth = self.auth.to_dict()
        elif isinstance(self.auth, WebhookAuthAws4):
            auth = self.auth.to_dict()
        elif isinstance(self.auth, WebhookAuthOauth2):
            auth = self.auth.to_dict()
        elif isinstance(self.auth, WebhookAuthMtls):
            auth = self.auth.to_dict()
        else:
            auth = self.auth

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        destination: dict[str, Any] | None | Unset
        if isinstance(self.destination, Unset):
            destination = UNSET
        elif isinstance(self.destination, DestinationHttp):
            destination = self.destination.to_dict()
        elif isinstance(self.destination, DestinationSqs):
            destination = self.destination.to_dict()
        elif isinstance(self.destination, DestinationSns):
            destination = self.destination.to_dict()
        elif isinstance(self.destination, DestinationEventbridge):
            destination = self.destination.to_dict()
        elif isinstance(self.destination, DestinationKinesis):
            destination = self.destination.to_dict()
        elif isinstance(self.destination, DestinationS3):
            destination = self.destination.to_dict()
        elif isinstance(self.destination, DestinationRabbitmq):
            destination = self.destination.to_dict()
        elif isinstance(self.destination, DestinationNats):
            destination = self.destination.to_dict()
        elif isinstance(self.destination, DestinationRedis):
            destination = self.destination.to_dict()
        elif isinstance(self.destination, DestinationPoll):
            destination = self.destination.to_dict()
        else:
            destination = self.destination

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        environment: None | str | Unset
        if isinstance(self.environment, Unset):
            environment = UNSET
        elif isinstance(self.environment, Environment):
            environment = self.environment.value
        else:
            environment = self.environment

        event_types: list[str] | None | Unset
        if isinstance(self.event_types, Unset):
            event_types = UNSET
        elif isinstance(self.event_types, list):
            event_types = self.event_types

        else:
            event_types = self.event_types

        filter_: dict[str, Any] | None | Unset
        if isinstance(self.filter_, Unset):
            filter_ = UNSET
        elif isinstance(self.filter_, WebhookPatchFilterType0):
            filter_ = self.filter_.to_dict()
        else:
            filter_ = self.filter_

        include_child_orgs: bool | None | Unset
        if isinstance(self.include_child_orgs, Unset):
            include_child_orgs = UNSET
        else:
            include_child_orgs = self.include_child_orgs

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        options: dict[str, Any] | None | Unset
        if isinstance(self.options, Unset):
            options = UNSET
        elif isinstance(self.options, WebhookOptions):
            options = self.options.to_dict()
        else:
            options = self.options

        owner_id: None | str | Unset
        if isinstance(self.owner_id, Unset):
            owner_id = UNSET
        else:
            owner_id = self.owner_id

        signing: dict[str, Any] | None | Unset
        if isinstance(self.signing, Unset):
            signing = UNSET
        elif isinstance(self.signing, SigningIn):
            signing = self.signing.to_dict()
        else:
            signing = self.signing

        transformation: dict[str, Any] | None | Unset
        if isinstance(self.transformation, Unset):
            transformation = UNSET
        elif isinstance(self.transformation, Transformation):
            transformation = self.transformation.to_dict()
        else:
            transformation = self.transformation

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if auth is not UNSET:
            field_dict["auth"] = auth
        if description is not UNSET:
            field_dict["description"] = description
        if destination is not UNSET:
            field_dict["destination"] = destination
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if environment is not UNSET:
            field_dict["environment"] = environment
        if event_types is not UNSET:
            field_dict["event_types"] = event_types
        if filter_ is not UNSET:
            field_dict["filter"] = filter_
        if include_child_orgs is not UNSET:
            field_dict["include_child_orgs"] = include_child_orgs
        if name is not UNSET:
            field_dict["name"] = name
        if options is not UNSET:
            field_dict["options"] = options
        if owner_id is not UNSET:
            field_dict["owner_id"] = owner_id
        if signing is not UNSET:
            field_dict["signing"] = signing
        if transformation is not UNSET:
            field_dict["transformation"] = transformation
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.destination_eventbridge import DestinationEventbridge  # noqa: PLC0415
        from ..models.destination_http import DestinationHttp  # noqa: PLC0415
        from ..models.destination_kinesis import DestinationKinesis  # noqa: PLC0415
        from ..models.destination_nats import DestinationNats  # noqa: PLC0415
        from ..models.destination_poll import DestinationPoll  # noqa: PLC0415
        from ..models.destination_rabbitmq import DestinationRabbitmq  # noqa: PLC0415
        from ..models.destination_redis import DestinationRedis  # noqa: PLC0415
        from ..models.destination_s3 import DestinationS3  # noqa: PLC0415
        from ..models.destination_sns import DestinationSns  # noqa: PLC0415
        from ..models.destination_sqs import DestinationSqs  # noqa: PLC0415
        from ..models.signing_in import SigningIn  # noqa: PLC0415
        from ..models.transformation import Transformation  # noqa: PLC0415
        from ..models.webhook_auth_aws_4 import WebhookAuthAws4  # noqa: PLC0415
        from ..models.webhook_auth_basic import WebhookAuthBasic  # noqa: PLC0415
        from ..models.webhook_auth_headers import WebhookAuthHeaders  # noqa: PLC0415
        from ..models.webhook_auth_hmac_sha_256 import WebhookAuthHmacSha256  # noqa: PLC0415
        from ..models.webhook_auth_mtls import WebhookAuthMtls  # noqa: PLC0415
        from ..models.webhook_auth_none import WebhookAuthNone  # noqa: PLC0415
        from ..models.webhook_auth_oauth_2 import WebhookAuthOauth2  # noqa: PLC0415
        from ..models.webhook_auth_token import WebhookAuthToken  # noqa: PLC0415
        from ..models.webhook_options import WebhookOptions  # noqa: PLC0415
        from ..models.webhook_patch_filter_type_0 import WebhookPatchFilterType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_auth(
            data: object,
        ) -> (
            None
            | Unset
            | WebhookAuthAws4
            | WebhookAuthBasic
            | WebhookAuthHeaders
            | WebhookAuthHmacSha256
            | WebhookAuthMtls
            | WebhookAuthNone
            | WebhookAuthOauth2
            | WebhookAuthToken
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_webhook_auth_type_0 = WebhookAuthNone.from_dict(data)

                return componentsschemas_webhook_auth_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_webhook_auth_type_1 = WebhookAuthHeaders.from_dict(data)

                return componentsschemas_webhook_auth_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_webhook_auth_type_2 = WebhookAuthBasic.from_dict(data)

                return componentsschemas_webhook_auth_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_webhook_auth_type_3 = WebhookAuthToken.from_dict(data)

                return componentsschemas_webhook_auth_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_webhook_auth_type_4 = WebhookAuthHmacSha256.from_dict(data)

                return componentsschemas_webhook_auth_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_webhook_auth_type_5 = WebhookAuthAws4.from_dict(data)

                return componentsschemas_webhook_auth_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_webhook_auth_type_6 = WebhookAuthOauth2.from_dict(data)

                return componentsschemas_webhook_auth_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_webhook_auth_type_7 = WebhookAuthMtls.from_dict(data)

                return componentsschemas_webhook_auth_type_7
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                None
                | Unset
                | WebhookAuthAws4
                | WebhookAuthBasic
                | WebhookAuthHeaders
                | WebhookAuthHmacSha256
                | WebhookAuthMtls
                | WebhookAuthNone
                | WebhookAuthOauth2
                | WebhookAuthToken,
                data,
            )

        auth = _parse_auth(d.pop("auth", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_destination(
            data: object,
        ) -> (
            DestinationEventbridge
            | DestinationHttp
            | DestinationKinesis
            | DestinationNats
            | DestinationPoll
            | DestinationRabbitmq
            | DestinationRedis
            | DestinationS3
            | DestinationSns
            | DestinationSqs
            | None
            | Unset
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_destination_type_0 = DestinationHttp.from_dict(data)

                return componentsschemas_destination_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_destination_type_1 = DestinationSqs.from_dict(data)

                return componentsschemas_destination_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_destination_type_2 = DestinationSns.from_dict(data)

                return componentsschemas_destination_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_destination_type_3 = DestinationEventbridge.from_dict(data)

                return componentsschemas_destination_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_destination_type_4 = DestinationKinesis.from_dict(data)

                return componentsschemas_destination_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_destination_type_5 = DestinationS3.from_dict(data)

                return componentsschemas_destination_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_destination_type_6 = DestinationRabbitmq.from_dict(data)

                return componentsschemas_destination_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_destination_type_7 = DestinationNats.from_dict(data)

                return componentsschemas_destination_type_7
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_destination_type_8 = DestinationRedis.from_dict(data)

                return componentsschemas_destination_type_8
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_destination_type_9 = DestinationPoll.from_dict(data)

                return componentsschemas_destination_type_9
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                DestinationEventbridge
                | DestinationHttp
                | DestinationKinesis
                | DestinationNats
                | DestinationPoll
                | DestinationRabbitmq
                | DestinationRedis
                | DestinationS3
                | DestinationSns
                | DestinationSqs
                | None
                | Unset,
                data,
            )

        destination = _parse_destination(d.pop("destination", UNSET))

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        def _parse_environment(data: object) -> Environment | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                environment_type_1 = Environment(data)

                return environment_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Environment | None | Unset, data)

        environment = _parse_environment(d.pop("environment", UNSET))

        def _parse_event_types(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                event_types_type_0 = cast(list[str], data)

                return event_types_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        event_types = _parse_event_types(d.pop("event_types", UNSET))

        def _parse_filter_(data: object) -> None | Unset | WebhookPatchFilterType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                filter_type_0 = WebhookPatchFilterType0.from_dict(data)

                return filter_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WebhookPatchFilterType0, data)

        filter_ = _parse_filter_(d.pop("filter", UNSET))

        def _parse_include_child_orgs(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        include_child_orgs = _parse_include_child_orgs(d.pop("include_child_orgs", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_options(data: object) -> None | Unset | WebhookOptions:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                options_type_1 = WebhookOptions.from_dict(data)

                return options_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WebhookOptions, data)

        options = _parse_options(d.pop("options", UNSET))

        def _parse_owner_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owner_id = _parse_owner_id(d.pop("owner_id", UNSET))

        def _parse_signing(data: object) -> None | SigningIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                signing_type_1 = SigningIn.from_dict(data)

                return signing_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SigningIn | Unset, data)

        signing = _parse_signing(d.pop("signing", UNSET))

        def _parse_transformation(data: object) -> None | Transformation | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                transformation_type_1 = Transformation.from_dict(data)

                return transformation_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Transformation | Unset, data)

        transformation = _parse_transformation(d.pop("transformation", UNSET))

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        webhook_patch = cls(
            auth=auth,
            description=description,
            destination=destination,
            enabled=enabled,
            environment=environment,
            event_types=event_types,
            filter_=filter_,
            include_child_orgs=include_child_orgs,
            name=name,
            options=options,
            owner_id=owner_id,
            signing=signing,
            transformation=transformation,
            url=url,
        )

        return webhook_patch
