from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.filter_verdict_subject import FilterVerdictSubject


T = TypeVar("T", bound="FilterVerdict")


@_attrs_define
class FilterVerdict:
    """Whether the event would reach a webhook with the filter, and the filter in words.

    Attributes:
        description (str):
        matches (bool):
        subject (FilterVerdictSubject): The document the filter was matched against.
    """

    description: str
    matches: bool
    subject: FilterVerdictSubject
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        matches = self.matches

        subject = self.subject.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "description": description,
                "matches": matches,
                "subject": subject,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.filter_verdict_subject import FilterVerdictSubject  # noqa: PLC0415

        d = dict(src_dict)
        description = d.pop("description")

        matches = d.pop("matches")

        subject = FilterVerdictSubject.from_dict(d.pop("subject"))

        filter_verdict = cls(
            description=description,
            matches=matches,
            subject=subject,
        )

        filter_verdict.additional_properties = d
        return filter_verdict

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
