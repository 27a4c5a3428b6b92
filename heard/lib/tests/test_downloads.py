"""Names and types of strangers' files, made safe to hand to a browser."""

from __future__ import annotations

import pytest

from heard.lib.downloads import content_disposition, safe_filename, served_type, sniff_image


@pytest.mark.parametrize(
    ("sent", "offered"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ('say "hi".txt', "say _hi_.txt"),
        ("line\r\nSet-Cookie: x=1.pdf", "lineSet-Cookie_ x=1.pdf"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),  # no right-to-left override
        (".htaccess", "htaccess"),
        ("report...pdf", "report.pdf"),
        ("", "attachment"),
        ("Čaša.pdf", "Čaša.pdf"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
    ],
)
def test_it_offers_a_safe_name(sent: str, offered: str) -> None:
    assert safe_filename(sent) == offered


def test_the_header_has_an_ascii_name_and_an_encoded_one() -> None:
    assert content_disposition("attachment", "Čaša 100%.pdf") == (
        "attachment; filename=\"Casa 100_.pdf\"; filename*=UTF-8''%C4%8Ca%C5%A1a%20100%25.pdf"
    )


@pytest.mark.parametrize(
    ("declared", "served"),
    [
        ("image/png", "image/png"),
        ("IMAGE/JPEG; name=a.jpg", "image/jpeg"),
        ("image/svg+xml", "application/octet-stream"),
        ("text/html", "application/octet-stream"),
        ("application/pdf", "application/octet-stream"),
    ],
)
def test_only_safe_raster_images_keep_their_type(declared: str, served: str) -> None:
    assert served_type(declared) == served


def test_it_recognises_images_by_their_first_bytes() -> None:
    assert sniff_image(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0d") == "image/png"
    assert sniff_image(b"RIFF\x00\x00\x00\x00WEBP") == "image/webp"
    assert sniff_image(b"<svg xmlns=") is None
