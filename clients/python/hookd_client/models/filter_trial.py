from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.filter_trial_filter import FilterTrialFilter


T = TypeVar("T", bound="FilterTrial")


@_attrs_define
class FilterTrial:
    """A filter and the event to try it on: a payload of the type, or the type's example.

    Example:
        {'event_type': 'invoice.paid', 'filter': {'payload.amount': {'$gt': 100}}}

    Attributes:
        event_type (str):
        filter_ (FilterTrialFilter):
        payload (Any | Unset):
    """

    event_type: str
    filter_: FilterTrialFilter
    payload: Any | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        event_type = self.event_type

        filter_ = self.filter_.to_dict()

        payload = self.payload

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "event_type": event_type,
                "filter": filter_,
            }
        )
        if payload is not UNSET:
            field_dict["payload"] = payload

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.filter_trial_filter import FilterTrialFilter  # noqa: PLC0415

        d = dict(src_dict)
        event_type = d.pop("event_type")

        filter_ = FilterTrialFilter.from_dict(d.pop("filter"))

        payload = d.pop("payload", UNSET)

        filter_trial = cls(
            event_type=event_type,
            filter_=filter_,
            payload=payload,
        )

        return filter_trial
