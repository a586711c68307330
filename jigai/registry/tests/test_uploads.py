import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jigai.registry.uploads import MAX_UPLOAD_BYTES, validate_certificate_file

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00"


@pytest.mark.parametrize("content", [PDF, PNG, JPEG])
def test_pdf_png_jpeg_are_accepted(content):
    validate_certificate_file(SimpleUploadedFile("证书.bin", content))


def test_type_is_judged_by_content_not_by_name():
    with pytest.raises(ValidationError) as e:
        validate_certificate_file(SimpleUploadedFile("证书.pdf", EXE))
    assert "PDF、PNG 或 JPEG" in e.value.messages[0]
    validate_certificate_file(SimpleUploadedFile("scan.txt", PDF))  # a real PDF with an odd name is fine


def test_file_over_10_mb_is_refused():
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (MAX_UPLOAD_BYTES - len(PDF) + 1))
    with pytest.raises(ValidationError) as e:
        validate_certificate_file(big)
    assert "10 MB" in e.value.messages[0]
    validate_certificate_file(SimpleUploadedFile("ok.pdf", PDF + b"0" * (MAX_UPLOAD_BYTES - len(PDF))))


def test_empty_file_is_refused():
    with pytest.raises(ValidationError):
        validate_certificate_file(SimpleUploadedFile("empty.pdf", b""))


def test_reading_does_not_move_the_file_position():
    f = SimpleUploadedFile("a.pdf", PDF)
    f.seek(3)
    validate_certificate_file(f)
    assert f.tell() == 3
