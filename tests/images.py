"""Real images made in memory with Pillow: the one image maker of the test suite."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


def image_bytes(fmt="JPEG", size=(64, 48), color="seagreen", mode="RGB", **save_kwargs):
    """The bytes of a `size` image in `fmt`; `save_kwargs` go to Pillow (e.g. exif=…)."""
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def camera_exif():
    """EXIF as a phone writes it: here a camera model, which must not survive an upload."""
    exif = Image.Exif()
    exif[0x0110] = "SecretPhone 9"  # Model
    return exif


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def image_upload(name="photo.jpg", fmt="JPEG", size=(40, 30), color=(200, 120, 40), exif=True):
    """An uploaded image file, with a camera's EXIF when asked (JPEG, by default)."""
    kwargs = {"exif": camera_exif()} if exif else {}
    data = image_bytes(fmt, size=size, color=color, **kwargs)
    return upload(name, data, CONTENT_TYPES.get(fmt, "application/octet-stream"))
