from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.environment import Environment
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.circuit_closed import CircuitClosed
    from ..models.circuit_open import CircuitOpen
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
    from ..models.signing_view import SigningView
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
    from ..models.webhook_status import WebhookStatus
    from ..models.webhook_view_filter_type_0 import WebhookViewFilterType0


T = TypeVar("T", bound="WebhookView")


@_attrs_define
class WebhookView:
    """A webhook as every door shows it: secrets masked here, so no door can print one.

    Attributes:
        circuit (CircuitClosed | CircuitOpen): Whether a node sends to a webhook freely or one request at a time,
            because its receiver
            timed out again and again (a request that answers, whatever its status, closes it).
        created_at (datetime.datetime):
        enabled (bool):
        environment (Environment):
        event_types (list[str]):
        id (str):
        include_child_orgs (bool):
        name (str):
        options (WebhookOptions):
        org_id (str):
        revision (int): One more with every change of the stored webhook; send it as `If-Match` to edit only
            the revision you read.
        signing (SigningView):
        status (WebhookStatus):
        updated_at (datetime.datetime):
        url (str):
        auth (None | Unset | WebhookAuthAws4 | WebhookAuthBasic | WebhookAuthHeaders | WebhookAuthHmacSha256 |
            WebhookAuthMtls | WebhookAuthNone | WebhookAuthOauth2 | WebhookAuthToken):
        description (None | str | Unset):
        destination (DestinationEventbridge | DestinationHttp | DestinationKinesis | DestinationNats | DestinationPoll |
            DestinationRabbitmq | DestinationRedis | DestinationS3 | DestinationSns | DestinationSqs | None | Unset):
        filter_ (None | Unset | WebhookViewFilterType0): `null` when every event of its types reaches it.
        last_triggered_at (datetime.datetime | None | Unset):
        owner_id (None | str | Unset):
        transformation (None | Transformation | Unset):
        unreadable (list[str] | Unset): Sealed values the master key could not open (`signing.secret`, `auth`): rotating
            the
            secret or sending the credentials again replaces them.
    """

    circuit: CircuitClosed | CircuitOpen
    created_at: datetime.datetime
    enabled: bool
    environment: Environment
    event_types: list[str]
    id: str
    include_child_orgs: bool
    name: str
    options: WebhookOptions
    org_id: str
    revision: int
    signing: SigningView
    status: WebhookStatus
    updated_at: datetime.datetime
    url: str
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
    filter_: None | Unset | WebhookViewFilterType0 = UNSET
    last_triggered_at: datetime.datetime | None | Unset = UNSET
    owner_id: None | str | Unset = UNSET
    transformation: None | Transformation | Unset = UNSET
    unreadable: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.circuit_closed import CircuitClosed  # noqa: PLC0415
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
        from ..models.transformation import Transformation  # noqa: PLC0415
        from ..models.webhook_auth_aws_4 import WebhookAuthAws4  # noqa: PLC0415
        from ..models.webhook_auth_basic import WebhookAuthBasic  # noqa: PLC0415
        from ..models.webhook_auth_headers import WebhookAuthHeaders  # noqa: PLC0415
        from ..models.webhook_auth_hmac_sha_256 import WebhookAuthHmacSha256  # noqa: PLC0415
        from ..models.webhook_auth_mtls import WebhookAuthMtls  # noqa: PLC0415
        from ..models.webhook_auth_none import WebhookAuthNone  # noqa: PLC0415
        from ..models.webhook_auth_oauth_2 import WebhookAuthOauth2  # noqa: PLC0415
        from ..models.webhook_auth_token import WebhookAuthToken  # noqa: PLC0415
        from ..models.webhook_view_filter_type_0 import WebhookViewFilterType0  # noqa: PLC0415

        circuit: dict[str, Any]
        if isinstance(self.circuit, CircuitClosed):
            circuit = self.circuit.to_dict()
        else:
            circuit = self.circuit.to_dict()

        created_at = self.created_at.isoformat()

        enabled = self.enabled

        environment = self.environment.value

        event_types = self.event_types

        id = self.id

        include_child_orgs = self.include_child_orgs

        name = self.name

        options = self.options.to_dict()

        org_id = self.org_id

        revision = self.revision

        signing = self.signing.to_dict()

        status = self.status.to_dict()

        updated_at = self.updated_at.isoformat()

        url = self.url

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

        filter_: dict[str, Any] | None | Unset
        if isinstance(self.filter_, Unset):
            filter_ = UNSET
        elif isinstance(self.filter_, WebhookViewFilterType0):
            filter_ = self.filter_.to_dict()
        else:
            filter_ = self.filter_

        last_triggered_at: None | str | Unset
        if isinstance(self.last_triggered_at, Unset):
            last_triggered_at = UNSET
        elif isinstance(self.last_triggered_at, datetime.datetime):
            last_triggered_at = self.last_triggered_at.isoformat()
        else:
            last_triggered_at = self.last_triggered_at

        owner_id: None | str | Unset
        if isinstance(self.owner_id, Unset):
            owner_id = UNSET
        else:
            owner_id = self.owner_id

        transformation: dict[str, Any] | None | Unset
        if isinstance(self.transformation, Unset):
            transformation = UNSET
        elif isinstance(self.transformation, Transformation):
            transformation = self.transformation.to_dict()
        else:
            transformation = self.transformation

        unreadable: list[str] | Unset = UNSET
        if not isinstance(self.unreadable, Unset):
            unreadable = self.unreadable

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "circuit": circuit,
                "created_at": created_at,
                "enabled": enabled,
                "environment": environment,
                "event_types": event_types,
                "id": id,
                "include_child_orgs": include_child_orgs,
                "name": name,
                "options": options,
                "org_id": org_id,
                "revision": revision,
                "signing": signing,
                "status": status,
                "updated_at": updated_at,
                "url": url,
            }
        )
        if auth is not UNSET:
            field_dict["auth"] = auth
        if description is not UNSET:
            field_dict["description"] = description
        if destination is not UNSET:
            field_dict["destination"] = destination
        if filter_ is not UNSET:
            field_dict["filter"] = filter_
        if last_triggered_at is not UNSET:
            field_dict["last_triggered_at"] = last_triggered_at
        if owner_id is not UNSET:
            field_dict["owner_id"] = owner_id
        if transformation is not UNSET:
            field_dict["transformation"] = transformation
        if unreadable is not UNSET:
            field_dict["unreadable"] = unreadable

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.circuit_closed import CircuitClosed  # noqa: PLC0415
        from ..models.circuit_open import CircuitOpen  # noqa: PLC0415
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
        from ..models.signing_view import SigningView  # noqa: PLC0415
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
        from ..models.webhook_status import WebhookStatus  # noqa: PLC0415
        from ..models.webhook_view_filter_type_0 import WebhookViewFilterType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_circuit(data: object) -> CircuitClosed | CircuitOpen:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_circuit_type_0 = CircuitClosed.from_dict(data)

                return componentsschemas_circuit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_circuit_type_1 = CircuitOpen.from_dict(data)

            return componentsschemas_circuit_type_1

        circuit = _parse_circuit(d.pop("circuit"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        enabled = d.pop("enabled")

        environment = Environment(d.pop("environment"))

        event_types = cast(list[str], d.pop("event_types"))

        id = d.pop("id")

        include_child_orgs = d.pop("include_child_orgs")

        name = d.pop("name")

        options = WebhookOptions.from_dict(d.pop("options"))

        org_id = d.pop("org_id")

        revision = d.pop("revision")

        signing = SigningView.from_dict(d.pop("signing"))

        status = WebhookStatus.from_dict(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        url = d.pop("url")

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

        def _parse_filter_(data: object) -> None | Unset | WebhookViewFilterType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                filter_type_0 = WebhookViewFilterType0.from_dict(data)

                return filter_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WebhookViewFilterType0, data)

        filter_ = _parse_filter_(d.pop("filter", UNSET))

        def _parse_last_triggered_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_triggered_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_triggered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_triggered_at = _parse_last_triggered_at(d.pop("last_triggered_at", UNSET))

        def _parse_owner_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owner_id = _parse_owner_id(d.pop("owner_id", UNSET))

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

        unreadable = cast(list[str], d.pop("unreadable", UNSET))

        webhook_view = cls(
            circuit=circuit,
            created_at=created_at,
            enabled=enabled,
            environment=environment,
            event_types=event_types,
            id=id,
            include_child_orgs=include_child_orgs,
            name=name,
            options=options,
            org_id=org_id,
            revision=revision,
            signing=signing,
            status=status,
            updated_at=updated_at,
            url=url,
            auth=auth,
            description=description,
            destination=destination,
            filter_=filter_,
            last_triggered_at=last_triggered_at,
            owner_id=owner_id,
            transformation=transformation,
            unreadable=unreadable,
        )

        webhook_view.additional_properties = d
        return webhook_view

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
