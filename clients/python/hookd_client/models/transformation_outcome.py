from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tried_request import TriedRequest


T = TypeVar("T", bound="TransformationOutcome")


@_attrs_define
class TransformationOutcome:
    """What a transformation made of the example: the request it would send, that it cancelled
    it, or why it failed (as a delivery's attempt would record it).

        Attributes:
            outcome (str): `sent`, `cancelled` or `failed`.
            error (None | str | Unset):
            request (None | TriedRequest | Unset):
    """

    outcome: str
    error: None | str | Unset = UNSET
    request: None | TriedRequest | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.tried_request import TriedRequest  # noqa: PLC0415

        outcome = self.outcome

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        request: dict[str, Any] | None | Unset
        if isinstance(self.request, Unset):
            request = UNSET
        elif isinstance(self.request, TriedRequest):
            request = self.request.to_dict()
        else:
            request = self.request

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "outcome": outcome,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if request is not UNSET:
            field_dict["request"] = request

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tried_request import TriedRequest  # noqa: PLC0415

        d = dict(src_dict)
        outcome = d.pop("outcome")

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_request(data: object) -> None | TriedRequest | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                request_type_1 = TriedRequest.from_dict(data)

                return request_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TriedRequest | Unset, data)

        request = _parse_request(d.pop("request", UNSET))

        transformation_outcome = cls(
            outcome=outcome,
            error=error,
            request=request,
        )

        transformation_outcome.additional_properties = d
        return transformation_outcome

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
