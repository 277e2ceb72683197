from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.pulled_message import PulledMessage


T = TypeVar("T", bound="Pulled")


@_attrs_define
class Pulled:
    """A page of a pull.

    Attributes:
        data (list[PulledMessage]):
        done (bool): Fewer than asked were waiting: pull again later.
        iterator (None | str | Unset):
    """

    data: list[PulledMessage]
    done: bool
    iterator: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        done = self.done

        iterator: None | str | Unset
        if isinstance(self.iterator, Unset):
            iterator = UNSET
        else:
            iterator = self.iterator

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "done": done,
            }
        )
        if iterator is not UNSET:
            field_dict["iterator"] = iterator

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pulled_message import PulledMessage  # noqa: PLC0415

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = PulledMessage.from_dict(data_item_data)

            data.append(data_item)

        done = d.pop("done")

        def _parse_iterator(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        iterator = _parse_iterator(d.pop("iterator", UNSET))

        pulled = cls(
            data=data,
            done=done,
            iterator=iterator,
        )

        pulled.additional_properties = d
        return pulled

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
