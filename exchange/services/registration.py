"""A system registers and retires its own agencies (registerAgency, deleteAgency)."""

from __future__ import annotations

from dataclasses import dataclass

from exchange.db.repos.directory import Contact
from exchange.db.store import Store
from exchange.domain.agencies import Agency
from exchange.domain.errors import AgencyExists, AgencyNotFound, ForbiddenForSystem
from exchange.services.directory import Directory

__all__ = ["NewAgency", "register_agency", "retire_agency"]


@dataclass(frozen=True, slots=True)
class NewAgency:
    code: str
    name: str
    parent: str
    contact: Contact


def register_agency(store: Store, directory: Directory, system_id: str, new: NewAgency) -> Agency:
    """The agency, hosted by the caller under a parent the caller hosts."""
    parent = directory.agency(new.parent)
    if parent is None or parent.system_id != system_id:
        raise ForbiddenForSystem(
            f"The parent agency {new.parent!r} is not hosted by system {system_id!r}."
        )
    agency = Agency(
        code=new.code,
        name=new.name,
        tier=parent.tier,
        system_id=system_id,
        parent=parent.code,
        province=parent.province,
        mail=new.contact.mail,
    )
    if not store.directory.register(agency, new.contact, store.now):
        raise AgencyExists(f"Agency {new.code!r} is already in the directory.")
    store.record("agency_registered", system_id, new.code, parent=parent.code, name=new.name)
    return agency


def retire_agency(store: Store, system_id: str, code: str) -> None:
    """The agency leaves the routing directory; its row and its documents stay."""
    if not store.directory.retire(code, system_id, store.now):
        raise AgencyNotFound(f"System {system_id!r} hosts no agency {code!r} to delete.")
    store.record("agency_deleted", system_id, code)
