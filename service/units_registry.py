"""One unit across documents: identity keys, organisation scoping, cell-department links.

A unit is identified by (organisation key, name key). The name key is the
ANNOTATION.md comparison key (`VPĐU` = `Văn phòng Đảng ủy`, `Uỷ` = `Ủy`).
The organisation comes from the name itself when it names one (`Sở Y tế
thành phố Hà Nội` -> `thành phố Hà Nội`; `Văn phòng VKSND tối cao` ->
`Viện kiểm sát nhân dân tối cao`; `Bộ Tư pháp`), otherwise from the issuer
of the document that uses it, so a bare `Vụ 2` in a VKSND document is
VKSND's. A party cell or committee of a department (`Chi ủy Vụ 2`) is linked
to the department (`Vụ 2`), which is created when missing.

`UnitRegistry` resolves names to ids inside a write transaction;
`find_units` turns a query (name or alias, optional organisation) into ids.
Nothing here reads documents or decides what a unit is in the text.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache

from extractors.abbreviations import expand
from extractors.vntext import U, clean_spaces, fold, unify_tones, vn_compile

from service.keys import alias_key, frozen, name_key

_NAMEWORD = r"(?:" + U + r"[\wÀ-ỹ]*|\d+)"
_LOCALITY_TAIL = vn_compile(
    r"(?:^|\s)(?P<kind>(?i:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu))\s+(?P<name>" + _NAMEWORD + r"(?:\s+" + _NAMEWORD + r")*)\s*$"
)
_PARTY_OF_LOCALITY = vn_compile(
    r"^(?P<head>(?i:tỉnh ủy|thành ủy|huyện ủy|quận ủy|thị ủy|xã ủy|đảng ủy xã|đảng ủy phường))\s+(?P<name>" + _NAMEWORD + r"(?:\s+" + _NAMEWORD + r")*)\s*$"
)
_LOCALITY_OF_PARTY = {
    "tinh uy": "tỉnh",
    "thanh uy": "thành phố",
    "huyen uy": "huyện",
    "quan uy": "quận",
    "thi uy": "thị xã",
    "xa uy": "xã",
    "dang uy xa": "xã",
    "dang uy phuong": "phường",
}

# national bodies a name may end with: (pattern, canonical organisation name)
_NATIONAL: list[tuple[re.Pattern[str], str | None]] = [
    (vn_compile(r"(?i:viện kiểm sát nhân dân tối cao)$"), "Viện kiểm sát nhân dân tối cao"),
    (vn_compile(r"(?i:tòa án nhân dân tối cao)$"), "Tòa án nhân dân tối cao"),
    (vn_compile(r"(?i:ủy ban trung ương mặt trận tổ quốc việt nam|mặt trận tổ quốc việt nam)$"), "Mặt trận Tổ quốc Việt Nam"),
    (vn_compile(r"(?i:kiểm toán nhà nước)$"), "Kiểm toán nhà nước"),
    (vn_compile(r"(?i:ngân hàng nhà nước(?: việt nam)?)$"), "Ngân hàng Nhà nước Việt Nam"),
    (vn_compile(r"(?i:chính phủ)$"), "Chính phủ"),
    (vn_compile(r"(?i:quốc hội)(?:\s+khóa\s+[IVXLC]+)?$"), "Quốc hội"),
    (vn_compile(r"(?i:bộ chính trị|ban bí thư|ban chấp hành trung ương(?: đảng)?|trung ương đảng|trung ương)$"), "Trung ương"),
    # a ministry: capital `Bộ` followed by a capitalised name, to the end (`Bộ Khoa học và Công nghệ`)
    (vn_compile(r"(?<![\wÀ-ỹ])Bộ\s+(?!Chính trị)" + U + r"[\wÀ-ỹ ,\-–]*$"), None),
]
# `... trực thuộc Trung ương`, `... thuộc Chính phủ` describe, they do not name the organisation
_DESCRIPTOR = vn_compile(r"(?i:thuộc|trực thuộc|cấp|các)\s*$")
_CONNECTOR_TAIL = re.compile(r"[\s,;:\-–]*(?:\b(?:của|thuộc|trực thuộc)\b)?[\s,;:\-–]*$")

_LEADERSHIP = vn_compile(
    r"^(?i:ban thường vụ|ban thường trực|ban chấp hành|thường trực|ban cán sự đảng|đảng đoàn|đảng ủy|đảng bộ|chi ủy|chi bộ|"
    r"lãnh đạo|thủ trưởng|tổng giám đốc|giám đốc|chủ tịch|hiệu trưởng|viện trưởng|bộ trưởng|thủ tướng|chánh án|trưởng ban|"
    r"ủy ban kiểm tra|tập thể lãnh đạo)\s+(?=\S)"
)

_CELL = vn_compile(r"^(?P<head>(?i:chi ủy|chi bộ|đảng ủy|đảng bộ))\s+(?P<rest>(?:" + U + r"|\d).*)$")

_KIND_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(chi uy|chi bo)\b"), "party_cell"),
    (re.compile(r"^(dang uy|dang bo|dang doan|ban can su|ban thuong vu|ban chap hanh|tinh uy|thanh uy|huyen uy|quan uy|bo chinh tri|ban bi thu|uy ban kiem tra)\b"), "party_committee"),
    (re.compile(r"^(mat tran|uy ban mat tran|cong doan|doan thanh nien|hoi lien hiep|hoi cuu chien binh|hoi nong dan|doan tncs)\b"), "mass_organisation"),
    (re.compile(r"^(dong chi|thu truong|giam doc|chu tich|pho chu tich|bo truong|thu tuong|vien truong|hieu truong|truong ban|chanh van phong)\b"), "person"),
    (re.compile(r"^(vu|cuc|phong|van phong|ban|thanh tra|vien|trung tam|khoa|chi cuc|co quan)\b"), "department"),
    (re.compile(r"^(bo|so|uy ban nhan dan|hoi dong nhan dan|chinh phu|quoc hoi|toa an|vien kiem sat|kiem toan|ngan hang|truong|dai hoc|hoc vien)\b"), "state_agency"),
]


@dataclass(frozen=True)
class Identity:
    """Who a name denotes: the name key within an organisation."""

    key: str
    org: str  # display name of the organisation, "" when unknown
    org_key: str
    base: str  # the name without its organisation (display)
    own_org: bool  # the organisation was named in the name itself


def _clean(name: str, defined: dict[str, str] | None) -> str:
    s = expand(unify_tones(clean_spaces(name)), defined)
    s = re.sub(r"^(?i:các|đồng chí)\s+", "", s.strip(" .,;:-–*"))
    return " ".join(s.split())


def _own_org(expanded: str) -> tuple[str, str] | None:
    """(base, organisation) when the name names its own organisation."""
    m = _PARTY_OF_LOCALITY.match(expanded)
    if m:
        head = fold(m.group("head"))
        return m.group("head"), f"{_LOCALITY_OF_PARTY[head]} {m.group('name')}"
    m = _LOCALITY_TAIL.search(expanded)
    if m:
        base = _CONNECTOR_TAIL.sub("", expanded[: m.start()]).strip()
        org = f"{m.group('kind').lower()} {m.group('name')}"
        return (base or org), org
    for pat, canonical in _NATIONAL:
        m = pat.search(expanded)
        if m and not _DESCRIPTOR.search(expanded[: m.start()]):
            org = canonical or m.group(0).strip()
            base = _CONNECTOR_TAIL.sub("", expanded[: m.start()]).strip()
            return (base or org), org
    return None


def organisation_of(issuer: str | None, defined: dict[str, str] | None = None) -> str:
    """The organisation whose names a document's bare unit names belong to ("" when unknown).

    `Ban Thường vụ Đảng ủy Viện kiểm sát nhân dân tối cao` -> `Viện kiểm sát
    nhân dân tối cao`; `Ủy ban nhân dân tỉnh Đồng Tháp` -> `tỉnh Đồng Tháp`.
    """
    if not issuer:
        return ""
    s = _clean(issuer, defined)
    own = _own_org(s)
    if own:
        return own[1]
    prev = None
    while prev != s:
        prev = s
        s = _LEADERSHIP.sub("", s)
    return s


@lru_cache(maxsize=1 << 14)
def org_key(org: str | None) -> str:
    return fold(org) if org else ""


def identify(name: str, scope: str = "", defined: dict[str, str] | None = None) -> Identity:
    """The identity of a unit name written in a document whose organisation is `scope`."""
    return _identify(name, scope, frozen(defined))


@lru_cache(maxsize=1 << 16)
def _identify(name: str, scope: str, frozen_defined: tuple[tuple[str, str], ...]) -> Identity:
    defined = dict(frozen_defined) if frozen_defined else None
    s = _clean(name, defined)
    own = _own_org(s)
    if own:
        base, org = own
        key = name_key(base) if base != org else name_key(org)
        return Identity(key=key, org=org, org_key=org_key(org), base=base, own_org=True)
    return Identity(key=name_key(s), org=scope, org_key=org_key(scope), base=s, own_org=False)


def guess_kind(key: str, written: str = "") -> str:
    """A unit kind from the name's words, for names the extraction gives no kind."""
    w = written.strip().lower()
    if "," in w or w.startswith("các ") or " và các " in w:
        return "collective"
    for pat, kind in _KIND_RULES:
        if pat.match(key):
            return kind
    return "other"


def department_of(ident: Identity) -> str | None:
    """`Chi ủy Vụ 2` -> `Vụ 2`: the department a party cell or committee belongs to."""
    m = _CELL.match(ident.base)
    if not m:
        return None
    rest = m.group("rest").strip()
    return rest or None


class UnitRegistry:
    """Resolves unit names to ids within one connection (and its open transaction)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._cache: dict[tuple[str, str], int] = {}
        self._aliases: set[tuple[int, str]] = set()
        self.touched: set[int] = set()

    def _get(self, okey: str, key: str) -> int | None:
        hit = self._cache.get((okey, key))
        if hit is not None:
            return hit
        row = self.conn.execute("SELECT id FROM units WHERE org_key = ? AND key = ?", (okey, key)).fetchone()
        if row:
            self._cache[(okey, key)] = row[0]
            return row[0]
        return None

    def _create(self, ident: Identity, display: str, kind: str) -> int:
        cur = self.conn.execute(
            "INSERT INTO units (name, key, org, org_key, kind) VALUES (?, ?, ?, ?, ?)",
            (display, ident.key, ident.org, ident.org_key, kind),
        )
        uid = int(cur.lastrowid or 0)
        self._cache[(ident.org_key, ident.key)] = uid
        return uid

    def add_alias(self, unit_id: int, written: str) -> None:
        written = " ".join(written.split())
        if not written or (unit_id, written) in self._aliases:
            return
        self._aliases.add((unit_id, written))
        self.conn.execute(
            "INSERT OR IGNORE INTO unit_aliases (unit_id, alias, alias_key) VALUES (?, ?, ?)",
            (unit_id, written, alias_key(written)),
        )

    def resolve(
        self,
        name: str,
        scope: str = "",
        defined: dict[str, str] | None = None,
        kind: str | None = None,
        aliases: list[str] | tuple[str, ...] = (),
    ) -> int | None:
        """The id of the unit `name` denotes, created (with its department link) when new."""
        if not name or not name.strip():
            return None
        ident = identify(name, scope, defined)
        if not ident.key:
            return None
        uid = self._get(ident.org_key, ident.key)
        if uid is None:
            display = " ".join(expand(unify_tones(clean_spaces(name)), defined).strip(" .,;:-–*").split())
            display = display[:1].upper() + display[1:]
            uid = self._create(ident, display, kind if kind and kind != "other" else guess_kind(ident.key, name))
            self._link_department(uid, ident)
        self.touched.add(uid)
        self.add_alias(uid, name)
        for a in aliases:
            self.add_alias(uid, a)
        return uid

    def _link_department(self, uid: int, ident: Identity) -> None:
        dept = department_of(ident)
        if not dept:
            return
        dkey = name_key(dept)
        if not dkey or dkey == ident.key:
            return
        did = self._get(ident.org_key, dkey)
        if did is None:
            did = self._create(Identity(dkey, ident.org, ident.org_key, dept, ident.own_org), dept, "department")
            self.add_alias(did, dept)
        self.conn.executemany(
            "INSERT OR IGNORE INTO unit_links (unit_id, other_id, relation) VALUES (?, ?, ?)",
            [(uid, did, "party_of"), (did, uid, "has_party")],
        )


def find_units(conn: sqlite3.Connection, name: str | None = None, org: str | None = None, linked: bool = True) -> list[int]:
    """Unit ids a query names: by name or alias, optionally within an organisation, plus linked units.

    An empty list means nothing matched (callers then return no tasks).
    """
    okey = org_key(organisation_of(org)) if org else None
    ids: set[int] = set()
    if name and name.strip():
        ident = identify(name)
        full = name_key(name)
        params: list[object] = [ident.key, full]
        sql = "SELECT id FROM units WHERE key IN (?, ?)"
        if ident.own_org:
            sql = "SELECT id FROM units WHERE (key = ? AND org_key = ?) OR key = ?"
            params = [ident.key, ident.org_key, full]
        ids.update(r[0] for r in conn.execute(sql, params))
        akey = alias_key(name)
        ids.update(r[0] for r in conn.execute("SELECT unit_id FROM unit_aliases WHERE alias_key = ?", (akey,)))
        if not ids and ident.key:
            k = ident.key
            rows = conn.execute(
                "SELECT id FROM units WHERE key LIKE ? OR key LIKE ? OR key LIKE ? LIMIT 500",
                (f"{k} %", f"% {k}", f"% {k} %"),
            )
            ids.update(r[0] for r in rows)
        if okey is not None and ids:
            marks = ",".join("?" * len(ids))
            ids = {r[0] for r in conn.execute(f"SELECT id FROM units WHERE id IN ({marks}) AND org_key = ?", [*ids, okey])}
    elif okey is not None:
        ids.update(r[0] for r in conn.execute("SELECT id FROM units WHERE org_key = ?", (okey,)))
    if linked and ids:
        marks = ",".join("?" * len(ids))
        ids.update(r[0] for r in conn.execute(f"SELECT other_id FROM unit_links WHERE unit_id IN ({marks})", list(ids)))
    return sorted(ids)
