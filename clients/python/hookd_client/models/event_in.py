from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.environment import Environment
from ..types import UNSET, Unset

T = TypeVar("T", bound="EventIn")


@_attrs_define
class EventIn:
    """An event as the operator publishes it.

    Example:
        {'payload': {'email': 'ada@example.com', 'id': 42}, 'resource_url': 'https://app.example.com/users/42', 'type':
            'user.created'}

    Attributes:
        payload (Any):
        type_ (str):
        environment (Environment | None | Unset):
        occurred_at (datetime.datetime | None | Unset):
        resource_url (None | str | Unset):
        visible_to (list[str] | None | Unset):
    """

    payload: Any
    type_: str
    environment: Environment | None | Unset = UNSET
    occurred_at: datetime.datetime | None | Unset = UNSET
    resource_url: None | str | Unset = UNSET
    visible_to: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        payload = self.payload

        type_ = self.type_

        environment: None | str | Unset
        if isinstance(self.environment, Unset):
            environment = UNSET
        elif isinstance(self.environment, Environment):
            environment = self.environment.value
        else:
            environment = self.environment

        occurred_at: None | str | Unset
        if isinstance(self.occurred_at, Unset):
            occurred_at = UNSET
        elif isinstance(self.occurred_at, datetime.datetime):
            occurred_at = self.occurred_at.isoformat()
        else:
            occurred_at = self.occurred_at

        resource_url: None | str | Unset
        if isinstance(self.resource_url, Unset):
            resource_url = UNSET
        else:
            resource_url = self.resource_url

        visible_to: list[str] | None | Unset
        if isinstance(self.visible_to, Unset):
            visible_to = UNSET
        elif isinstance(self.visible_to, list):
            visible_to = self.visible_to

        else:
            visible_to = self.visible_to

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "payload": payload,
                "type": type_,
            }
        )
        if environment is not UNSET:
            field_dict["environment"] = environment
        if occurred_at is not UNSET:
            field_dict["occurred_at"] = occurred_at
        if resource_url is not UNSET:
            field_dict["resource_url"] = resource_url
        if visible_to is not UNSET:
            field_dict["visible_to"] = visible_to

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        payload = d.pop("payload")

        type_ = d.pop("type")

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

        def _parse_occurred_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                occurred_at_type_0 = datetime.datetime.fromisoformat(data)

                return occurred_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        occurred_at = _parse_occurred_at(d.pop("occurred_at", UNSET))

        def _parse_resource_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        resource_url = _parse_resource_url(d.pop("resource_url", UNSET))

        def _parse_visible_to(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                visible_to_type_0 = cast(list[str], data)

                return visible_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        visible_to = _parse_visible_to(d.pop("visible_to", UNSET))

        event_in = cls(
            payload=payload,
            type_=type_,
            environment=environment,
            occurred_at=occurred_at,
            resource_url=resource_url,
            visible_to=visible_to,
        )

        return event_in
