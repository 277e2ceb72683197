from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.environment import Environment

if TYPE_CHECKING:
    from ..models.delivery_counts import DeliveryCounts


T = TypeVar("T", bound="EventSummaryView")


@_attrs_define
class EventSummaryView:
    """An event in a list: no payload; its deliveries counted by state.

    Attributes:
        created_at (datetime.datetime):
        deliveries (DeliveryCounts): What became of an event's deliveries.
        environment (Environment):
        id (str):
        occurred_at (datetime.datetime):
        type_ (str):
    """

    created_at: datetime.datetime
    deliveries: DeliveryCounts
    environment: Environment
    id: str
    occurred_at: datetime.datetime
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        deliveries = self.deliveries.to_dict()

        environment = self.environment.value

        id = self.id

        occurred_at = self.occurred_at.isoformat()

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "deliveries": deliveries,
                "environment": environment,
                "id": id,
                "occurred_at": occurred_at,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_counts import DeliveryCounts  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        deliveries = DeliveryCounts.from_dict(d.pop("deliveries"))

        environment = Environment(d.pop("environment"))

        id = d.pop("id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        type_ = d.pop("type")

        event_summary_view = cls(
            created_at=created_at,
            deliveries=deliveries,
            environment=environment,
            id=id,
            occurred_at=occurred_at,
            type_=type_,
        )

        event_summary_view.additional_properties = d
        return event_summary_view

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
