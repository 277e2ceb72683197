from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.window import Window

if TYPE_CHECKING:
    from ..models.webhook_stats import WebhookStats


T = TypeVar("T", bound="OrgStats")


@_attrs_define
class OrgStats:
    """The stats of every webhook of an org that made an attempt within the window.

    Attributes:
        bucket_seconds (int):
        data (list[WebhookStats]):
        window (Window): The time a stats request looks back over.
    """

    bucket_seconds: int
    data: list[WebhookStats]
    window: Window
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bucket_seconds = self.bucket_seconds

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        window = self.window.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bucket_seconds": bucket_seconds,
                "data": data,
                "window": window,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_stats import WebhookStats  # noqa: PLC0415

        d = dict(src_dict)
        bucket_seconds = d.pop("bucket_seconds")

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = WebhookStats.from_dict(data_item_data)

            data.append(data_item)

        window = Window(d.pop("window"))

        org_stats = cls(
            bucket_seconds=bucket_seconds,
            data=data,
            window=window,
        )

        org_stats.additional_properties = d
        return org_stats

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
