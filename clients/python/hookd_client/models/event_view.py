from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.environment import Environment
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.delivery_state_view import DeliveryStateView


T = TypeVar("T", bound="EventView")


@_attrs_define
class EventView:
    """
    Attributes:
        created_at (datetime.datetime):
        deliveries (list[DeliveryStateView]):
        environment (Environment):
        id (str):
        occurred_at (datetime.datetime):
        org_id (str):
        payload (Any):
        type_ (str):
        visible_to (list[str]):
        resource_url (None | str | Unset):
    """

    created_at: datetime.datetime
    deliveries: list[DeliveryStateView]
    environment: Environment
    id: str
    occurred_at: datetime.datetime
    org_id: str
    payload: Any
    type_: str
    visible_to: list[str]
    resource_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        deliveries = []
        for deliveries_item_data in self.deliveries:
            deliveries_item = deliveries_item_data.to_dict()
            deliveries.append(deliveries_item)

        environment = self.environment.value

        id = self.id

        occurred_at = self.occurred_at.isoformat()

        org_id = self.org_id

        payload = self.payload

        type_ = self.type_

        visible_to = self.visible_to

        resource_url: None | str | Unset
        if isinstance(self.resource_url, Unset):
            resource_url = UNSET
        else:
            resource_url = self.resource_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "deliveries": deliveries,
                "environment": environment,
                "id": id,
                "occurred_at": occurred_at,
                "org_id": org_id,
                "payload": payload,
                "type": type_,
                "visible_to": visible_to,
            }
        )
        if resource_url is not UNSET:
            field_dict["resource_url"] = resource_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_state_view import DeliveryStateView  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        deliveries = []
        _deliveries = d.pop("deliveries")
        for deliveries_item_data in _deliveries:
            deliveries_item = DeliveryStateView.from_dict(deliveries_item_data)

            deliveries.append(deliveries_item)

        environment = Environment(d.pop("environment"))

        id = d.pop("id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        org_id = d.pop("org_id")

        payload = d.pop("payload")

        type_ = d.pop("type")

        visible_to = cast(list[str], d.pop("visible_to"))

        def _parse_resource_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        resource_url = _parse_resource_url(d.pop("resource_url", UNSET))

        event_view = cls(
            created_at=created_at,
            deliveries=deliveries,
            environment=environment,
            id=id,
            occurred_at=occurred_at,
            org_id=org_id,
            payload=payload,
            type_=type_,
            visible_to=visible_to,
            resource_url=resource_url,
        )

        event_view.additional_properties = d
        return event_view

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
