"""Turning the bytes of a file into note text, or into a clear reason why not."""

from __future__ import annotations

from vaultlint.model.note import ReadError, SourceText

BOM = b"\xef\xbb\xbf"
DEFAULT_MAX_BYTES = 8 * 1024 * 1024  # the default of the max-file-size setting


def decode(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText | ReadError:
    if len(data) > max_bytes:
        return ReadError(
            f"file is {len(data) / 1048576:.1f} MiB, over the {max_bytes // 1048576} MiB limit "
            "(option max-file-size); not read"
        )
    if b"\x00" in data[:8192]:
        return ReadError("binary file named .md (contains NUL bytes); not a note")
    bom = data.startswith(BOM)
    if bom:
        data = data[len(BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        return ReadError(
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start + len(BOM) * bom}",
            line,
            column,
        )
    return from_text(text, bom)


def from_text(text: str, bom: bool = False) -> SourceText:
    if "\r" not in text:
        return SourceText(text, bom)
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    lone_lf = text.count("\n") - crlf
    normalised = text.replace("\r\n", "\n")
    if lone_cr:
        normalised = normalised.replace("\r", "\n")
    mixed = bool(lone_cr) or (crlf > 0 and lone_lf > 0)
    return SourceText(normalised, bom, "\r\n" if crlf else "\n", mixed)
