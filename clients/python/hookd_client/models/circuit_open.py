from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CircuitOpen")


@_attrs_define
class CircuitOpen:
    """
    Attributes:
        since (datetime.datetime):
        state (Literal['open']):
        timeouts_in_a_row (int):
    """

    since: datetime.datetime
    state: Literal["open"]
    timeouts_in_a_row: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        since = self.since.isoformat()

        state = self.state

        timeouts_in_a_row = self.timeouts_in_a_row

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "since": since,
                "state": state,
                "timeouts_in_a_row": timeouts_in_a_row,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        since = datetime.datetime.fromisoformat(d.pop("since"))

        state = cast(Literal["open"], d.pop("state"))
        if state != "open":
            raise ValueError(f"state must match const 'open', got '{state}'")

        timeouts_in_a_row = d.pop("timeouts_in_a_row")

        circuit_open = cls(
            since=since,
            state=state,
            timeouts_in_a_row=timeouts_in_a_row,
        )

        circuit_open.additional_properties = d
        return circuit_open

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
