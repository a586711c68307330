"""The policy's own text (豫政办〔2022〕8号, shipped as data/policy.txt) cut into anchored clauses;
no Django.

`policy_document()` → the title lines and the blocks in order, each with its clause id: 一 / 三（一） /
三（一）1 / 三（末段） (the paragraph after 三（四）). `clause_anchor("三（二）1")` → "clause-三-二-1";
the same anchor for "三（末段）" and "三末段". `CITATION` finds citations inside a sentence
("依据三（二）1 和三（末段）").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TEXT_FILE = Path(__file__).resolve().parent / "data" / "policy.txt"
TITLE = "关于开展企业技术改造提升行动促进制造业高质量发展的实施意见"
NUMBER = "豫政办〔2022〕8号"

_PART = re.compile(r"^([一二三四五六七八九十]+)、(.+)$")
_SECTION = re.compile(r"^（([一二三四五六七八九十]+)）(.*)$")
_ITEM = re.compile(r"^(\d+)[.．、](.*)$")
# 三（二）1 · 三（二） · 三（末段） · 三末段 (a part's closing paragraph)
CITATION = re.compile(r"([一二三四])(?:（([一二三四五六七八九十]+|末段)）(\d+)?|(末段))")
LAST = "末段"
_PARTS = frozenset("一二三四")


@dataclass(frozen=True)
class Block:
    kind: str  # "part" (一、…) | "section" (（一）…) | "item" (1.…) | "para"
    clause: str  # 三（一）1 ; "" for the preamble
    anchor: str  # clause-三-一-1 ; "" for the preamble
    label: str  # 三、 / （一） / 1.
    text: str


@dataclass(frozen=True)
class PolicyDocument:
    issuer: str
    title: str
    number: str
    blocks: tuple[Block, ...]

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset(b.anchor for b in self.blocks if b.anchor)


def clause_anchor(citation: str) -> str:
    """The anchor id of a citation ("三（二）1" → "clause-三-二-1"); "" when it is not one."""
    citation = citation.strip()
    if citation in _PARTS:
        return f"clause-{citation}"
    m = CITATION.fullmatch(citation)
    if m is None:
        return ""
    part, section, item, last = m.groups()
    pieces = [part, section or last or "", item or ""]
    return "clause-" + "-".join(p for p in pieces if p)


def _clause(part: str, section: str = "", item: str = "") -> str:
    return part + (f"（{section}）" if section else "") + item


@cache
def policy_document() -> PolicyDocument:
    lines = [line.strip() for line in TEXT_FILE.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    issuer, title, number, body = lines[0], lines[1], lines[2], lines[3:]
    blocks: list[Block] = []
    part = section = ""
    for line in body:
        if m := _PART.match(line):
            part, section = m.group(1), ""
            blocks.append(Block("part", part, clause_anchor(part), f"{part}、", m.group(2)))
        elif part and (m := _SECTION.match(line)):
            section = m.group(1)
            clause = _clause(part, section)
            blocks.append(Block("section", clause, clause_anchor(clause), f"（{section}）", m.group(2)))
        elif part and section and (m := _ITEM.match(line)):
            clause = _clause(part, section, m.group(1))
            blocks.append(Block("item", clause, clause_anchor(clause), f"{m.group(1)}.", m.group(2)))
        elif part and section and blocks and blocks[-1].kind != "section" and part == "三":
            # the paragraph closing 三 after its last numbered item: 三（末段）
            clause = _clause(part, LAST)
            blocks.append(Block("para", clause, clause_anchor(clause), "", line))
            section = ""
        else:
            blocks.append(Block("para", "", "", "", line))
    return PolicyDocument(issuer=issuer, title=title, number=number, blocks=tuple(blocks))
