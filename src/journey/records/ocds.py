"""Records as open data: one OCDS 1.1 release per record, gathered into a release package.

What a release holds comes from the route (`ocds:` on checkpoints, see
routes/ocdsmap.py) and the repository settings (buyer, ocid prefix, currency), so
a new route needs no code here. Only answers on the record's active path are
published; names (the owner, sign-offs) only when `people` is asked for.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from journey.records.settings import Settings
from journey.routes.ocdsfields import FIELDS
from journey.walk.engine import Walk

TAGS = ("planning", "tender", "award", "contract")
SECTION_TAGS = {"awards": "award", "contracts": "contract"}
ONE_ID = "1"  # awards and contracts hold one entry each: a record is one procurement


def ocid(settings: Settings, reference: str, fallback: str) -> str:
    """The ocid: the registered prefix, then the record's reference (else its file name)."""
    local = re.sub(r"[^A-Za-z0-9._-]+", "-", reference.strip() or fallback).strip("-")
    return f"{settings.prefix}-{local or 'record'}"


def release(
    walk: Walk, settings: Settings, *, fallback: str, people: bool = False
) -> dict[str, Any]:
    """The OCDS release of one record, at the stage it has reached."""
    rec = walk.record
    the_ocid = ocid(settings, rec.reference, fallback)
    fields = published(walk)
    tag = stage_tag(fields)
    buyer = {"id": settings.party_id, "name": settings.name}
    out: dict[str, Any] = {
        "ocid": the_ocid,
        "id": f"{the_ocid}-{tag}-{re.sub(r'[^0-9]', '', rec.updated)}",
        "date": rec.updated,
        "tag": [tag],
        "initiationType": "tender",
        "language": "en",
        "parties": [_buyer_party(settings, rec.owner if people else None)],
        "buyer": buyer,
        "tender": {"id": the_ocid, "title": rec.title, "procuringEntity": buyer},
    }
    for path, value in fields.items():
        _put(out, path, value, settings.currency)
    _link_awards(out, the_ocid)
    if people:
        _sign_offs(walk, out)
    return out


def published(walk: Walk) -> dict[str, Any]:
    """Field path -> value for the mapped answers on the record's active path."""
    out: dict[str, Any] = {}
    for cid, value in walk.effective_answers().items():
        cp = walk.places[cid].checkpoint
        if cp.ocds is None or cp.ocds not in FIELDS:
            continue
        codes = {c.choice: c.code for c in cp.ocds_codes}
        converted = _convert(FIELDS[cp.ocds][0], value, codes)
        if converted is not None:
            out[cp.ocds] = converted
    return out


def stage_tag(fields: dict[str, Any]) -> str:
    """How far the procurement has got: planning, tender, award or contract.

    A dated tender field (the tender period) makes it a tender, any award field an
    award, any contract field a contract. The route's mapping says which answers those
    are (a tender notice's date, an award notice's), so no regime is named here.
    """
    reached = 0
    for path in fields:
        section = path.split(".")[0]
        if section in SECTION_TAGS:
            reached = max(reached, TAGS.index(SECTION_TAGS[section]))
        elif section == "tender" and FIELDS[path][0] == "date-time":
            reached = max(reached, 1)
    return TAGS[reached]


def _convert(kind: str, value: Any, codes: dict[str, str]) -> Any:
    if kind == "date-time":
        return f"{value}T00:00:00Z" if isinstance(value, str) and len(value) == 10 else None
    if kind == "number":
        amount = Decimal(str(value))
        return int(amount) if amount == amount.to_integral_value() else float(amount)
    if kind == "integer":
        return int(value) if float(value).is_integer() else None
    if kind == "boolean":
        return bool(value)
    text = codes.get(value, value) if isinstance(value, str) else str(value)
    return text or None


def _put(release: dict[str, Any], path: str, value: Any, currency: str) -> None:
    """Set a dotted field, arrays (awards, contracts, suppliers) holding one entry each."""
    parts = path.split(".")
    node: dict[str, Any] = release
    for part in parts[:-1]:
        if part in ("awards", "contracts", "suppliers"):
            entries = node.setdefault(part, [{}])
            node = entries[0]
        else:
            node = node.setdefault(part, {})
    node[parts[-1]] = value
    if parts[-1] == "amount" and parts[-2] in ("value", "minValue", "amount"):
        node["currency"] = currency


def _link_awards(release: dict[str, Any], the_ocid: str) -> None:
    """Give the award and contract their ids, the contract its award, suppliers their party."""
    if "contracts" in release:
        release.setdefault("awards", [{}])
        release["contracts"][0] |= {"id": ONE_ID, "awardID": ONE_ID}
    if "awards" in release:
        award = release["awards"][0]
        award["id"] = ONE_ID
        for n, supplier in enumerate(award.get("suppliers", ()), 1):
            supplier["id"] = f"{the_ocid}-supplier-{n}"
            release["parties"].append(supplier | {"roles": ["supplier"]})


def _buyer_party(settings: Settings, contact: str | None) -> dict[str, Any]:
    party: dict[str, Any] = {
        "id": settings.party_id,
        "name": settings.name,
        "identifier": {
            "scheme": settings.scheme,
            "id": settings.org_id,
            "legalName": settings.name,
        },
        "roles": ["buyer", "procuringEntity"],
    }
    if contact:
        party["contactPoint"] = {"name": contact}
    return party


def _sign_offs(walk: Walk, release: dict[str, Any]) -> None:
    """Sign-offs as approval milestones, with who signed: only with --include-people."""
    milestones = []
    for cid, value in walk.effective_answers().items():
        cp = walk.places[cid].checkpoint
        if cp.kind != "sign-off" or not isinstance(value, dict):
            continue
        signed = f"Signed off by {value.get('name', '')}, {value.get('role', '')}".rstrip(", ")
        entry = walk.record.answers[cid]
        milestones.append(
            {"id": cid, "title": cp.prompt, "type": "approval", "status": "met",
             "dateMet": entry.at, "description": signed}
        )  # fmt: skip
    if milestones:
        release["tender"]["milestones"] = milestones


def package(releases: list[dict[str, Any]], settings: Settings, uri: str | None) -> dict[str, Any]:
    """A release package; its date is that of the newest record, so a rerun gives the same file."""
    return {
        "uri": uri or f"urn:ocds:{settings.prefix}:release-package",
        "version": "1.1",
        "publishedDate": max(r["date"] for r in releases),
        "publisher": {"name": settings.name, "scheme": settings.scheme, "uid": settings.org_id},
        "releases": releases,
    }
