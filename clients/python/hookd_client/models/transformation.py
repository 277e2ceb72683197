from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Transformation")


@_attrs_define
class Transformation:
    """JavaScript run on each request before it is signed and sent (Svix's contract: a
    `handler(webhook)` that returns the webhook, changed, or sets `cancel`).

        Example:
            {'code': 'function handler(webhook) {\\n  webhook.payload = {text: `New ${webhook.eventType}`};\\n  return
                webhook;\\n}', 'enabled': True}

        Attributes:
            code (str):
            enabled (bool | Unset): Off keeps the code but sends requests as they are.
    """

    code: str
    enabled: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        enabled = self.enabled

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
            }
        )
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        enabled = d.pop("enabled", UNSET)

        transformation = cls(
            code=code,
            enabled=enabled,
        )

        return transformation
