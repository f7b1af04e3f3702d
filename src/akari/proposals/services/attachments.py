"""PDF attachments: checked by content (a PDF starts with ``%PDF-``), limited in size by
``settings.AKARI_ATTACHMENT_MAX_BYTES`` (read at call time), stored under their SHA-256."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from akari.accounts.models import User
from akari.core import audit
from akari.proposals.models import Attachment, Proposal
from akari.proposals.services.drafts import _require_draft

PDF_MAGIC = b"%PDF-"


def check_pdf(upload: UploadedFile) -> bytes:
    """The upload's bytes, if it is a PDF within the size limit; else a ValidationError."""
    limit: int = settings.AKARI_ATTACHMENT_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s; attachments may be at most %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
            }
        )
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            {"file": _("Attachments may be at most %(limit)s.") % {"limit": filesizeformat(limit)}}
        )
    if not content.startswith(PDF_MAGIC):
        raise ValidationError(
            {"file": _("Only PDF files can be attached; this file is not a PDF.")}
        )
    return content


@transaction.atomic
def attachment_add(*, proposal: Proposal, actor: User, upload: UploadedFile) -> Attachment:
    locked = _require_draft(proposal)
    content = check_pdf(upload)
    digest = hashlib.sha256(content).hexdigest()
    if locked.attachments.filter(sha256=digest).exists():
        raise ValidationError({"file": _("This file is already attached.")})
    name = (upload.name or "attachment.pdf").rsplit("/", 1)[-1][:255]
    attachment = Attachment(
        proposal=locked, original_name=name, size=len(content), sha256=digest, uploaded_by=actor
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    audit.record(actor=actor, action="proposal.attachment_added", obj=locked, sha256=digest)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    locked = _require_draft(attachment.proposal)
    digest = attachment.sha256
    stored = str(attachment.file.name)
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
    audit.record(actor=actor, action="proposal.attachment_removed", obj=locked, sha256=digest)
