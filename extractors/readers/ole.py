"""Just enough of the OLE compound file format to tell what an old Office file is.

`inspect_ole(data)` lists the streams of an OLE2 container (Word 97-2003
.doc, .xls, .ppt, and password-protected Office 2007+ files, which are an OLE
container holding an "EncryptedPackage" stream) and reads the flags of a Word
document's FIB to see whether it is encrypted. It does not extract text: the
.doc reader converts with LibreOffice. Malformed containers raise `OleError`.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

__all__ = ["OleError", "OleInfo", "inspect_ole"]

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE
_MAX_SECTOR = 0xFFFFFFFA


class OleError(ValueError):
    """The bytes are not a readable OLE compound file."""


@dataclass
class OleInfo:
    streams: set[str] = field(default_factory=set)  # names of all streams and storages
    word_encrypted: bool = False  # WordDocument FIB says fEncrypted

    @property
    def encrypted_package(self) -> bool:
        return "EncryptedPackage" in self.streams


class _Ole:
    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or data[:8] != MAGIC:
            raise OleError("not an OLE compound file")
        self.data = data
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        if shift not in (9, 12):
            raise OleError(f"bad sector size 2^{shift}")
        self.size = 1 << shift
        self.n_sectors = max(0, (len(data) - self.size) // self.size + 1)
        self.mini_shift = struct.unpack_from("<H", data, 0x20)[0]
        n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
        self.mini_cutoff, first_minifat, _n_minifat, first_difat, n_difat = struct.unpack_from("<IIIII", data, 0x38)
        difat = [s for s in struct.unpack_from("<109I", data, 0x4C) if s <= _MAX_SECTOR]
        sid, hops = first_difat, 0
        while sid <= _MAX_SECTOR and hops < n_difat and hops <= self.n_sectors:
            entries = struct.unpack_from(f"<{self.size // 4}I", self._sector(sid))
            difat.extend(s for s in entries[:-1] if s <= _MAX_SECTOR)
            sid, hops = entries[-1], hops + 1
        self.fat: list[int] = []
        for s in difat[: max(n_fat, 0) or len(difat)]:
            self.fat.extend(struct.unpack_from(f"<{self.size // 4}I", self._sector(s)))
        self.first_dir = first_dir
        self.first_minifat = first_minifat

    def _sector(self, sid: int) -> bytes:
        start = (sid + 1) * self.size
        if sid > _MAX_SECTOR or start >= len(self.data):
            raise OleError(f"sector {sid} outside the file")
        return self.data[start : start + self.size]

    def chain(self, sid: int, limit: int | None = None) -> bytes:
        out = bytearray()
        seen: set[int] = set()
        while sid <= _MAX_SECTOR:
            if sid in seen or sid >= len(self.fat):
                raise OleError("broken sector chain")
            seen.add(sid)
            out += self._sector(sid)
            if limit is not None and len(out) >= limit:
                break
            sid = self.fat[sid]
        return bytes(out)

    def entries(self) -> list[tuple[str, int, int, int]]:
        """(name, type, start sector, size) of every directory entry."""
        raw = self.chain(self.first_dir)
        out: list[tuple[str, int, int, int]] = []
        for off in range(0, len(raw) - 127, 128):
            name_len = struct.unpack_from("<H", raw, off + 64)[0]
            kind = raw[off + 66]
            if kind == 0 or name_len < 2 or name_len > 64:
                continue
            name = raw[off : off + name_len - 2].decode("utf-16-le", errors="replace")
            start, size = struct.unpack_from("<II", raw, off + 116)
            out.append((name, kind, start, size))
        return out

    def stream_head(self, start: int, size: int, root_start: int, n: int) -> bytes:
        """The first `n` bytes of a stream (from the mini stream when it is small)."""
        if size >= self.mini_cutoff:
            return self.chain(start, limit=n)[:n]
        mini = self.chain(root_start)
        minifat_raw = self.chain(self.first_minifat) if self.first_minifat <= _MAX_SECTOR else b""
        minifat = list(struct.unpack_from(f"<{len(minifat_raw) // 4}I", minifat_raw))
        msize = 1 << self.mini_shift
        out = bytearray()
        sid, seen = start, set()
        while sid <= _MAX_SECTOR and len(out) < n:
            if sid in seen or sid >= len(minifat):
                raise OleError("broken mini stream chain")
            seen.add(sid)
            out += mini[sid * msize : (sid + 1) * msize]
            sid = minifat[sid]
        return bytes(out[:n])


def inspect_ole(data: bytes) -> OleInfo:
    """Streams of an OLE container and whether its Word document is encrypted."""
    try:
        ole = _Ole(data)
        entries = ole.entries()
        info = OleInfo(streams={name for name, _, _, _ in entries})
        root_start = next((start for _, kind, start, _ in entries if kind == 5), _END)
        for name, kind, start, size in entries:
            if name == "WordDocument" and kind == 2 and size >= 12:
                fib = ole.stream_head(start, size, root_start, 12)
                if len(fib) >= 12 and fib[:2] == b"\xec\xa5":
                    flags = struct.unpack_from("<H", fib, 10)[0]
                    info.word_encrypted = bool(flags & 0x0100)
        return info
    except (struct.error, IndexError, OverflowError, MemoryError) as exc:
        raise OleError(f"malformed OLE container ({type(exc).__name__})") from None
