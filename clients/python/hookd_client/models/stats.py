from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.window import Window

if TYPE_CHECKING:
    from ..models.bucket import Bucket
    from ..models.stats_by_result import StatsByResult
    from ..models.totals import Totals


T = TypeVar("T", bound="Stats")


@_attrs_define
class Stats:
    """A webhook's health over a window, as the stats API answers it.

    Attributes:
        bucket_seconds (int):
        buckets (list[Bucket]): Oldest first; every bucket of the window, empty ones included.
        by_result (StatsByResult): Attempts by result: `2xx`, `3xx`, `4xx`, `5xx`, or the error kind (`timeout`,
            `refused`, `tls`, ...).
        totals (Totals): A window's figures in sum.
        window (Window): The time a stats request looks back over.
    """

    bucket_seconds: int
    buckets: list[Bucket]
    by_result: StatsByResult
    totals: Totals
    window: Window
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bucket_seconds = self.bucket_seconds

        buckets = []
        for buckets_item_data in self.buckets:
            buckets_item = buckets_item_data.to_dict()
            buckets.append(buckets_item)

        by_result = self.by_result.to_dict()

        totals = self.totals.to_dict()

        window = self.window.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bucket_seconds": bucket_seconds,
                "buckets": buckets,
                "by_result": by_result,
                "totals": totals,
                "window": window,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bucket import Bucket  # noqa: PLC0415
        from ..models.stats_by_result import StatsByResult  # noqa: PLC0415
        from ..models.totals import Totals  # noqa: PLC0415

        d = dict(src_dict)
        bucket_seconds = d.pop("bucket_seconds")

        buckets = []
        _buckets = d.pop("buckets")
        for buckets_item_data in _buckets:
            buckets_item = Bucket.from_dict(buckets_item_data)

            buckets.append(buckets_item)

        by_result = StatsByResult.from_dict(d.pop("by_result"))

        totals = Totals.from_dict(d.pop("totals"))

        window = Window(d.pop("window"))

        stats = cls(
            bucket_seconds=bucket_seconds,
            buckets=buckets,
            by_result=by_result,
            totals=totals,
            window=window,
        )

        stats.additional_properties = d
        return stats

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
