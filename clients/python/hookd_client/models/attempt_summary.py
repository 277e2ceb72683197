from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.trigger import Trigger
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attempt_error import AttemptError


T = TypeVar("T", bound="AttemptSummary")


@_attrs_define
class AttemptSummary:
    """An attempt in a list: no headers or bodies.

    Attributes:
        delivery_id (str):
        duration_ms (float): Milliseconds, to the microsecond.
        event_ids (list[str]):
        event_types (list[str]): The type of each of `event_ids`, in their order.
        id (str):
        sent_at (datetime.datetime):
        succeeded (bool):
        trigger (Trigger):
        url (str):
        webhook_id (str):
        error (AttemptError | None | Unset):
        response_status (int | None | Unset):
    """

    delivery_id: str
    duration_ms: float
    event_ids: list[str]
    event_types: list[str]
    id: str
    sent_at: datetime.datetime
    succeeded: bool
    trigger: Trigger
    url: str
    webhook_id: str
    error: AttemptError | None | Unset = UNSET
    response_status: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.attempt_error import AttemptError  # noqa: PLC0415

        delivery_id = self.delivery_id

        duration_ms = self.duration_ms

        event_ids = self.event_ids

        event_types = self.event_types

        id = self.id

        sent_at = self.sent_at.isoformat()

        succeeded = self.succeeded

        trigger = self.trigger.value

        url = self.url

        webhook_id = self.webhook_id

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, AttemptError):
            error = self.error.to_dict()
        else:
            error = self.error

        response_status: int | None | Unset
        if isinstance(self.response_status, Unset):
            response_status = UNSET
        else:
            response_status = self.response_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "delivery_id": delivery_id,
                "duration_ms": duration_ms,
                "event_ids": event_ids,
                "event_types": event_types,
                "id": id,
                "sent_at": sent_at,
                "succeeded": succeeded,
                "trigger": trigger,
                "url": url,
                "webhook_id": webhook_id,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if response_status is not UNSET:
            field_dict["response_status"] = response_status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attempt_error import AttemptError  # noqa: PLC0415

        d = dict(src_dict)
        delivery_id = d.pop("delivery_id")

        duration_ms = d.pop("duration_ms")

        event_ids = cast(list[str], d.pop("event_ids"))

        event_types = cast(list[str], d.pop("event_types"))

        id = d.pop("id")

        sent_at = datetime.datetime.fromisoformat(d.pop("sent_at"))

        succeeded = d.pop("succeeded")

        trigger = Trigger(d.pop("trigger"))

        url = d.pop("url")

        webhook_id = d.pop("webhook_id")

        def _parse_error(data: object) -> AttemptError | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_1 = AttemptError.from_dict(data)

                return error_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AttemptError | None | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_response_status(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        response_status = _parse_response_status(d.pop("response_status", UNSET))

        attempt_summary = cls(
            delivery_id=delivery_id,
            duration_ms=duration_ms,
            event_ids=event_ids,
            event_types=event_types,
            id=id,
            sent_at=sent_at,
            succeeded=succeeded,
            trigger=trigger,
            url=url,
            webhook_id=webhook_id,
            error=error,
            response_status=response_status,
        )

        attempt_summary.additional_properties = d
        return attempt_summary

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
