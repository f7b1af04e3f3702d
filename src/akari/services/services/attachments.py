"""Checking files attached to a consultation: size, number and type (by name and content)."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_FILES = 3

# Extension -> (content type, leading bytes the file must start with, or None for text).
ALLOWED: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".txt": ("text/plain", None),
    ".csv": ("text/csv", None),
}


def max_bytes() -> int:
    return int(getattr(settings, "AKARI_CONSULTATION_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES))


def max_files() -> int:
    return int(getattr(settings, "AKARI_CONSULTATION_MAX_ATTACHMENTS", DEFAULT_MAX_FILES))


def check(upload: UploadedFile) -> str:
    """The file's content type if it is acceptable; a translated ``ValidationError`` if not."""
    name = upload.name or ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED:
        raise ValidationError(
            _("“%(name)s”: only PDF, PNG, JPEG, text and CSV files can be attached.")
            % {"name": name},
            code="type",
        )
    if upload.size is None or upload.size > max_bytes():
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s MB.")
            % {"name": name, "limit": max_bytes() // (1024 * 1024)},
            code="size",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    content_type, magic = ALLOWED[suffix]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if magic is not None:
        if not any(head.startswith(m) for m in magic):
            raise ValidationError(
                _("“%(name)s” is not the kind of file its name says.") % {"name": name},
                code="content",
            )
    else:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A cut in the middle of a multi-byte character at the end is fine.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError as error:
                raise ValidationError(
                    _("“%(name)s” is not a UTF-8 text file.") % {"name": name}, code="content"
                ) from error
    return content_type


def check_all(uploads: list[UploadedFile]) -> list[str]:
    if len(uploads) > max_files():
        raise ValidationError(
            _("At most %(count)s files can be attached to one message.") % {"count": max_files()},
            code="count",
        )
    return [check(upload) for upload in uploads]
