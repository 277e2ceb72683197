from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.member_status import MemberStatus
from ..models.role import Role
from ..types import UNSET, Unset

T = TypeVar("T", bound="Member")


@_attrs_define
class Member:
    """
    Attributes:
        created_at (datetime.datetime):
        email (str):
        groups (list[str]):
        id (str):
        name (str):
        org_id (str):
        role (Role):
        status (MemberStatus):
        external_id (None | str | Unset):
        phone (None | str | Unset):
    """

    created_at: datetime.datetime
    email: str
    groups: list[str]
    id: str
    name: str
    org_id: str
    role: Role
    status: MemberStatus
    external_id: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        email = self.email

        groups = self.groups

        id = self.id

        name = self.name

        org_id = self.org_id

        role = self.role.value

        status = self.status.value

        external_id: None | str | Unset
        if isinstance(self.external_id, Unset):
            external_id = UNSET
        else:
            external_id = self.external_id

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "email": email,
                "groups": groups,
                "id": id,
                "name": name,
                "org_id": org_id,
                "role": role,
                "status": status,
            }
        )
        if external_id is not UNSET:
            field_dict["external_id"] = external_id
        if phone is not UNSET:
            field_dict["phone"] = phone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        email = d.pop("email")

        groups = cast(list[str], d.pop("groups"))

        id = d.pop("id")

        name = d.pop("name")

        org_id = d.pop("org_id")

        role = Role(d.pop("role"))

        status = MemberStatus(d.pop("status"))

        def _parse_external_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_id = _parse_external_id(d.pop("external_id", UNSET))

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        member = cls(
            created_at=created_at,
            email=email,
            groups=groups,
            id=id,
            name=name,
            org_id=org_id,
            role=role,
            status=status,
            external_id=external_id,
            phone=phone,
        )

        member.additional_properties = d
        return member

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
