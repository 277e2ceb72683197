from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Bucket")


@_attrs_define
class Bucket:
    """One bucket of a window.

    Attributes:
        attempts (int):
        failed (int):
        filtered (int):
        start (datetime.datetime):
        succeeded (int):
        p50_ms (float | None | Unset):
        p95_ms (float | None | Unset):
    """

    attempts: int
    failed: int
    filtered: int
    start: datetime.datetime
    succeeded: int
    p50_ms: float | None | Unset = UNSET
    p95_ms: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        failed = self.failed

        filtered = self.filtered

        start = self.start.isoformat()

        succeeded = self.succeeded

        p50_ms: float | None | Unset
        if isinstance(self.p50_ms, Unset):
            p50_ms = UNSET
        else:
            p50_ms = self.p50_ms

        p95_ms: float | None | Unset
        if isinstance(self.p95_ms, Unset):
            p95_ms = UNSET
        else:
            p95_ms = self.p95_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempts": attempts,
                "failed": failed,
                "filtered": filtered,
                "start": start,
                "succeeded": succeeded,
            }
        )
        if p50_ms is not UNSET:
            field_dict["p50_ms"] = p50_ms
        if p95_ms is not UNSET:
            field_dict["p95_ms"] = p95_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempts = d.pop("attempts")

        failed = d.pop("failed")

        filtered = d.pop("filtered")

        start = datetime.datetime.fromisoformat(d.pop("start"))

        succeeded = d.pop("succeeded")

        def _parse_p50_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        p50_ms = _parse_p50_ms(d.pop("p50_ms", UNSET))

        def _parse_p95_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        p95_ms = _parse_p95_ms(d.pop("p95_ms", UNSET))

        bucket = cls(
            attempts=attempts,
            failed=failed,
            filtered=filtered,
            start=start,
            succeeded=succeeded,
            p50_ms=p50_ms,
            p95_ms=p95_ms,
        )

        bucket.additional_properties = d
        return bucket

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
