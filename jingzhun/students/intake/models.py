from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhun.core.models import TimeStampedModel
from jingzhun.org.models import Institution


class ImportBatch(TimeStampedModel):
    """One uploaded file and everything that happened to it; the file is kept with it."""

    class Status(models.TextChoices):
        READING = "reading", _("Reading")
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATING = "validating", _("Validating")
        VALIDATED = "validated", _("Checked")
        APPLYING = "applying", _("Applying")
        APPLIED = "applied", _("Applied")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Failed")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("Apply all or nothing")
        VALID_ROWS = "valid_rows", _("Apply valid rows, skip the rest")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=30)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_role = models.ForeignKey(
        "org.RoleAssignment", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    # The chosen sheet as read once by the worker: UTF-8 CSV of text rows, what every later
    # step reads (the upload itself is only ever read by the capped reader).
    rows_file = models.FileField(_("rows read"), upload_to="imports/%Y/%m/", blank=True)
    # What the reader found: sheet_names, rows, columns, encoding, notice, preview, peak_kb.
    reading = models.JSONField(_("reading"), default=dict, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    source = models.CharField(_("source system"), max_length=60, blank=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), default=0)
    mapping = models.JSONField(_("column mapping"), default=dict)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED
    )
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    failure = models.TextField(_("failure"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_role = models.ForeignKey(
        "org.RoleAssignment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def kind_label(self) -> str:
        from jingzhun.students.intake.kinds import KINDS

        spec = KINDS.get(self.kind)
        return str(spec.label) if spec else self.kind

    @property
    def preview(self) -> list[list[str]]:
        return list(self.reading.get("preview", []))

    @property
    def sheet_names(self) -> list[str]:
        return list(self.reading.get("sheet_names", [])) or ([self.sheet] if self.sheet else [])

    def headers(self) -> list[str]:
        preview = self.preview
        return preview[self.header_row] if self.header_row < len(preview) else []

    @property
    def mapping_by_column(self) -> dict[int, str]:
        return {int(column): name for column, name in self.mapping.items()}


class ColumnMapping(TimeStampedModel):
    """A saved header → field mapping for one source system's export of one kind."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=30)
    source = models.CharField(_("source system"), max_length=60)
    headers = models.JSONField(_("header → field"), default=dict)

    class Meta:
        verbose_name = _("saved column mapping")
        verbose_name_plural = _("saved column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "kind", "source"], name="column_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} · {self.kind}"
