from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AuditEntry")


@_attrs_define
class AuditEntry:
    """One change to an org, as its audit log keeps it: who made it, what and when.

    Attributes:
        action (str): What, as `resource.verb`: `webhook.created`, `member.deleted`, `token.deleted`, …
        actor (str): Who: `operator`, an access token (`tok_…`) or a member signed in to the portal (`mbr_…`).
        at (datetime.datetime):
        id (str):
        org_id (str):
        summary (str): In words, without secrets.
        target (str): The ID of what changed.
    """

    action: str
    actor: str
    at: datetime.datetime
    id: str
    org_id: str
    summary: str
    target: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor = self.actor

        at = self.at.isoformat()

        id = self.id

        org_id = self.org_id

        summary = self.summary

        target = self.target

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor": actor,
                "at": at,
                "id": id,
                "org_id": org_id,
                "summary": summary,
                "target": target,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = d.pop("action")

        actor = d.pop("actor")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        id = d.pop("id")

        org_id = d.pop("org_id")

        summary = d.pop("summary")

        target = d.pop("target")

        audit_entry = cls(
            action=action,
            actor=actor,
            at=at,
            id=id,
            org_id=org_id,
            summary=summary,
            target=target,
        )

        audit_entry.additional_properties = d
        return audit_entry

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
