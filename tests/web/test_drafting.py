"""Notations (Nghị định 30/2020) and the message catalogue."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from exchange.domain.agencies import Agency, Tier
from exchange.domain.status import StatusCode
from exchange.web.drafting import PRIORITIES, TEMPLATES, abbreviation, header_name, notation
from exchange.web.i18n import Translator
from exchange.web.incoming import ANSWERS
from exchange.web.lessons import LESSONS
from exchange.web.messages import MESSAGES
from exchange.web.routes_outgoing import ACTIONS, NEXT_ACTION, STAGES
from exchange.web.signatures import CHECKS
from exchange.web.workbench import Role
from signing import Problem

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "exchange" / "web" / "templates"


def _agency(name: str, tier: Tier = Tier.PROVINCE) -> Agency:
    return Agency("000.00.02.H37", name, tier, "ninh-binh-tinh")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("UBND Tỉnh Ninh Bình", "UBND"),
        ("UBND Xã Gia Vân", "UBND"),
        ("Sở Nội vụ tỉnh Ninh Bình", "SNV"),
        ("Sở Kế hoạch và Đầu tư tỉnh Ninh Bình", "SKHĐT"),
        ("Sở Lao động - Thương binh và Xã hội tỉnh Ninh Bình", "SLĐTBXH"),
        ("Thanh tra tỉnh Ninh Bình", "TTr"),
        ("Văn phòng Chính phủ", "VPCP"),
        ("Bộ Công Thương", "BCT"),
    ],
)
def test_agency_abbreviations(name: str, expected: str) -> None:
    assert abbreviation(_agency(name)) == expected


def test_a_cong_van_carries_no_type_abbreviation() -> None:
    agency = _agency("Sở Nội vụ tỉnh Ninh Bình")
    assert notation(TEMPLATES["cong-van"], agency) == "SNV-VP"
    assert notation(TEMPLATES["quyet-dinh"], _agency("UBND Tỉnh Ninh Bình")) == "QĐ-UBND"


def test_a_header_spells_out_ubnd() -> None:
    assert header_name(_agency("UBND Tỉnh Ninh Bình")) == "Ủy ban nhân dân Tỉnh Ninh Bình"


def test_every_message_has_both_languages_and_the_same_placeholders() -> None:
    for key, (vi, en) in MESSAGES.items():
        assert vi.strip() and en.strip(), key
        assert set(re.findall(r"{(\w+)}", vi)) == set(re.findall(r"{(\w+)}", en)), key


def test_vietnamese_is_written_with_its_diacritics_composed() -> None:
    texts = [vi for vi, _ in MESSAGES.values()]
    assert all(unicodedata.is_normalized("NFC", text) for text in texts)
    assert sum(any(ord(c) > 0x7F for c in text) for text in texts) > 0.9 * len(texts)


def test_every_fixed_key_in_the_templates_is_in_the_catalogue() -> None:
    used = set()
    for template in TEMPLATE_DIR.glob("*.html"):
        used |= set(re.findall(r"""\bt\(["']([a-z_.0-9-]+)["']""", template.read_text()))
    fixed = {k for k in used if not k.endswith((".", "_"))}  # "status." ~ code: see below
    assert fixed, "the pattern found no key"
    assert sorted(fixed - MESSAGES.keys()) == []


def test_every_key_built_from_data_is_in_the_catalogue() -> None:
    built = [
        *(f"problem.{p.value}" for p in Problem),
        *(f"status.{s.value}" for s in StatusCode),
        *(f"answer.{code}" for code in ANSWERS),
        *(f"tier.{t.value}" for t in Tier),
        *(f"compose.every_{t.value}" for t in Tier),
        *(f"priority.{p}" for p in PRIORITIES),
        *(f"stage.{s}" for s in (*STAGES, "refused")),
        *(f"action.{a}" for a in ACTIONS),
        *(f"hint.{a}" for a, _ in NEXT_ACTION.values()),
        *(f"error.role_{r.value}" for r in Role),
        *(f"lesson.{n}.{part}" for n in LESSONS for part in ("title", "teaser", "did", "why")),
        *(f"check.{c}" for c in CHECKS),
        *(f"sig.role.{r}" for r in ("person", "organisation", "envelope", "other")),
    ]
    assert sorted(set(built) - MESSAGES.keys()) == []


def test_a_missing_key_falls_back_to_its_default() -> None:
    t = Translator("en")
    assert t("problem.no_such_thing", default="problem.other") == MESSAGES["problem.other"][1]
    with pytest.raises(KeyError):
        t("no.such.key")
