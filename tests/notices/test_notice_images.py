"""Uploaded images: real, allowed, not too big, stripped of EXIF, thumbnailed once."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from portal.images import (
    MAX_IMAGE_BYTES,
    THUMBNAIL_WIDTH,
    MultipleImageField,
    process_image,
    validate_image_upload,
)
from tests.images import image_bytes, upload


def rejected(file):
    with pytest.raises(ValidationError) as error:
        validate_image_upload(file)
    return error.value


def test_it_rejects_a_decompression_bomb():
    """A tiny PNG that declares 64 megapixels: refused from its header, before decoding."""
    bomb = image_bytes("PNG", size=(8000, 8000), mode="1", color=0)
    assert len(bomb) < 100_000
    with translation.override("en"):
        error = rejected(upload("bomb.png", bomb, "image/png"))
        assert error.code == "image_too_many_pixels"
        assert "too large in pixels" in error.messages[0]
    with translation.override("zh-hans"):
        assert "像素太多" in rejected(upload("bomb.png", bomb, "image/png")).messages[0]


def test_it_turns_pillows_bomb_error_into_a_form_error(monkeypatch):
    """Pillow's own guard (if our header check were ever bypassed) is an error, not a 500."""
    import portal.images as images

    monkeypatch.setattr(images, "MAX_IMAGE_PIXELS", 10**12)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    error = rejected(upload("big.png", image_bytes("PNG", size=(100, 100)), "image/png"))
    assert error.code == "image_too_many_pixels"


def test_it_rejects_a_wrong_type():
    error = rejected(upload("anim.gif", image_bytes("GIF"), "image/gif"))
    assert error.code == "image_wrong_type"
    assert "GIF" in error.messages[0]


def test_it_rejects_a_file_over_the_size_limit():
    big = upload("big.jpg", b"\xff\xd8" + b"0" * (MAX_IMAGE_BYTES + 1))
    error = rejected(big)
    assert error.code == "image_too_large"
    assert "5.0" in error.messages[0]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.jpg", b"%PDF-1.7\n1 0 obj<<>>endobj\n"),
        ("photo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("photo.webp", b"MZ\x90\x00 not an image at all"),
        ("photo.jpg", image_bytes("JPEG")[:40]),  # truncated
    ],
)
def test_it_catches_fake_extensions(name, data):
    assert rejected(upload(name, data)).code == "invalid_image"


def test_it_accepts_a_png_named_jpg_by_its_real_format():
    full, _thumb = process_image(upload("really-a-png.jpg", image_bytes("PNG")))
    assert full.name.endswith(".png")


def test_it_accepts_a_phone_photo_saved_as_mpo():
    """Many phones write MPO (a JPEG with a depth or gain-map frame); Pillow calls it "MPO".
    It is a JPEG to the resident, so it is accepted and kept as a plain JPEG."""
    buffer = io.BytesIO()
    first, depth = Image.new("RGB", (80, 60), "red"), Image.new("RGB", (80, 60), "blue")
    first.save(buffer, "MPO", save_all=True, append_images=[depth])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    full, thumb = process_image(upload("IMG_0001.JPG", buffer.getvalue()))
    assert full.name.endswith(".jpg")
    result = Image.open(full)
    assert result.format == "JPEG" and result.size == (80, 60)
    assert Image.open(thumb).format == "JPEG"


def test_it_removes_exif_and_turns_the_photo_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to display
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (31.0, 17.0, 0.0)}  # GPS latitude of the resident's home
    data = image_bytes("JPEG", size=(200, 100), exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif()
    full, thumb = process_image(upload("home.jpg", data))
    result = Image.open(full)
    assert result.size == (100, 200)  # upright
    assert not result.getexif()
    assert "exif" not in result.info
    assert b"PhoneMaker" not in full.read()


def test_it_makes_a_thumbnail_of_fixed_width():
    full, thumb = process_image(upload("wide.webp", image_bytes("WEBP", size=(1600, 900))))
    image = Image.open(thumb)
    assert image.format == "JPEG"
    assert image.size == (THUMBNAIL_WIDTH, 270)
    assert Image.open(full).format == "WEBP"


def test_it_names_files_randomly_not_after_the_upload():
    full, thumb = process_image(upload("周秀英家门口.jpg", image_bytes("JPEG")))
    assert "周秀英" not in full.name and thumb.name.endswith("-thumb.jpg")


def test_it_limits_the_number_of_files_in_one_field():
    field = MultipleImageField(max_files=2)
    files = [upload(f"{i}.jpg", image_bytes("JPEG")) for i in range(3)]
    with pytest.raises(ValidationError) as error:
        field.clean(files)
    assert error.value.code == "too_many_images"


def test_it_names_the_bad_file_among_several():
    field = MultipleImageField()
    files = [upload("good.jpg", image_bytes("JPEG")), upload("bad.jpg", b"not an image")]
    with pytest.raises(ValidationError) as error:
        field.clean(files)
    assert error.value.messages[0].startswith("bad.jpg:")
