"""Helpers shared by the relief tests."""

from django.core.files.uploadedfile import SimpleUploadedFile

QIAOGUANG = "440402005001"  # 香洲区 › 拱北街道 › 侨光社区
CHECKLIST = ("id_proof", "commitment", "declaration")


def pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")
