"""Uploaded photos: check they are real images, strip their metadata, make thumbnails.

Shared by notices (NoticeImage), the discussion hall (suggestion photos) and needs (a
resident's photo of a difficulty). Use it like this:

    from portal.images import ImageUploadField, MultipleImageField, process_image

    class SuggestionForm(forms.Form):
        photo = ImageUploadField(required=False)       # one photo, validated
        # or: photos = MultipleImageField(max_files=9) # several files, <input multiple>

    attach_image(suggestion, form.cleaned_data["photo"], field="photo")  # photo + thumbnail
    suggestion.save()

Why each step:
- The file name and the browser's content type are chosen by the uploader, so the format is
  read from the bytes by Pillow (a .jpg that is really a PDF or an SVG is refused).
- A small file can declare a huge canvas (a "decompression bomb") that would take the server's
  memory when decoded; the pixel count is checked from the header before decoding, and Pillow's
  own bomb warning/error is turned into a form error as well.
- Photos from phones carry EXIF metadata, often the GPS position of the resident's home. The
  image is re-encoded without it, after turning it upright (EXIF orientation) so it still shows
  the right way up.
"""

import contextlib
import ctypes
import ctypes.util
import io
import math
import threading
import uuid
import warnings

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from . import security_log

MAX_IMAGE_BYTES = 5 * 1024 * 1024
# The pixel budget: one decoded image stays under ~100 MiB of memory. Pillow keeps RGB (and
# RGBA, CMYK, 32-bit grey) at 4 bytes a pixel, so 24 megapixels is 92 MiB: more than a
# phone's 12–20 Mpx photo. An alpha channel or 16-bit samples cost more on the way (the
# premultiplied copy `reduce` makes of an image with alpha, 16-bit samples): 12 Mpx.
MAX_IMAGE_PIXELS = 24_000_000
MAX_IMAGE_PIXELS_COSTLY = 12_000_000
COSTLY_MODES = {"RGBA", "LA", "PA", "La", "RGBa", "I", "I;16", "I;16B", "I;16L", "F"}
# Pillow's own guard (warning above the limit, error above twice the limit) as a second line.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "MPO": "jpg"}
# Many phone cameras write MPO: a JPEG with extra frames (depth map, HDR gain map). Pillow
# reports it as "MPO"; it is kept as a plain JPEG of its first frame.
SAVE_AS = {"MPO": "JPEG"}
# Big enough for a phone screen, small enough for a cheap data plan.
FULL_MAX_SIDE = 1600
THUMBNAIL_WIDTH = 480

# One image processed (decoded, resized, encoded) at a time per process: gunicorn runs
# threaded workers (gthread, so that /healthz is never queued behind uploads), and two large
# images in one process at once would double the peak the pixel budget promises. (The
# header checks wait too; a bomb is refused from its header as soon as its turn comes.)
_processing = threading.BoundedSemaphore(1)
# The processed copy is kept on the upload, so a form's validation and the service that
# stores it decode the file once, not twice.
_PROCESSED = "_portal_processed_image"


def pixel_limit(mode, png_16bit=False):
    """The most pixels an image of this mode may have (see MAX_IMAGE_PIXELS)."""
    if mode in COSTLY_MODES or png_16bit:
        return MAX_IMAGE_PIXELS_COSTLY
    return MAX_IMAGE_PIXELS


def _decode_small(probe):
    """Decode `probe` at no less than FULL_MAX_SIDE on its long side, with the smallest peak.

    JPEG: `draft` asks libjpeg to decode at 1/2, 1/4 or 1/8 scale, so the full-size pixels
    never exist. Other formats decode in full (within the pixel budget), then `reduce`
    (an integer box filter, fast) drops to the working size and the full decode is freed.
    """
    if probe.format in ("JPEG", "MPO") and max(probe.size) > FULL_MAX_SIDE:
        # The smallest size libjpeg may give: FULL_MAX_SIDE on the long side, same shape.
        ratio = max(probe.size) / FULL_MAX_SIDE
        wanted = (math.ceil(probe.width / ratio), math.ceil(probe.height / ratio))
        probe.draft(probe.mode if probe.mode in ("L", "CMYK") else "RGB", wanted)
    probe.load()
    factor = max(probe.size) // FULL_MAX_SIDE
    if factor > 1:
        return probe.reduce(factor)
    return probe


def _open_checked(upload):
    """Open the upload with Pillow, check it and decode it (once, at a working size).

    Returns the decoded image with `.format` set to the file's format; raises ValidationError.
    The caller holds `_processing`.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("This image is %(size)s; images may be at most %(limit)s."),
            code="image_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(MAX_IMAGE_BYTES)},
        )
    not_an_image = ValidationError(
        _("This file is not a photo we can read. Please upload a JPEG, PNG or WebP image."),
        code="invalid_image",
    )
    too_many_pixels = ValidationError(
        _("This image is too large in pixels. Please upload a smaller photo."),
        code="image_too_many_pixels",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            data = upload.read(MAX_IMAGE_BYTES + 1)
            if len(data) > MAX_IMAGE_BYTES:
                raise ValidationError(
                    _("This image is %(size)s; images may be at most %(limit)s."),
                    code="image_too_large",
                    params={
                        "size": filesizeformat(size or len(data)),
                        "limit": filesizeformat(MAX_IMAGE_BYTES),
                    },
                )
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format
            if fmt not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("Images must be JPEG, PNG or WebP; this file is %(format)s."),
                    code="image_wrong_type",
                    params={"format": fmt or "?"},
                )
            # The header alone gives the size: refuse before decoding a single pixel.
            png_16bit = fmt == "PNG" and _png_bit_depth(data) > 8
            if probe.width * probe.height > pixel_limit(probe.mode, png_16bit):
                raise too_many_pixels
            image = _decode_small(probe)
            image.format = fmt  # `reduce` makes a plain Image (its info, EXIF too, is kept)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image from None
    finally:
        upload.seek(0)
    return image


def _png_bit_depth(data):
    """The bit depth in a PNG's IHDR chunk (byte 24 of the file)."""
    return data[24] if len(data) > 24 else 8


def validate_image_upload(upload):
    """Validator for a form field: raises ValidationError for anything but a safe photo.

    The checked, processed copy is kept on the upload for `process_image`: one decode.
    """
    try:
        process_image(upload)
    except ValidationError as error:
        security_log.upload_rejected(upload, error)
        raise


def _encode(image, fmt):
    buffer = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    elif fmt == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "WEBP", quality=85)
    return buffer.getvalue()


def _upright(image):
    image = ImageOps.exif_transpose(image)
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGB")
    return image


def process_image(upload):
    """Checked, upright, metadata-free copy of the upload and its thumbnail.

    Returns (full, thumbnail) as ContentFiles with random names (the uploader's file name may
    hold personal details too). The full image keeps its format (JPEG/PNG/WebP) and is at most
    FULL_MAX_SIDE pixels on its long side; the thumbnail is a THUMBNAIL_WIDTH-wide JPEG.
    """
    done = getattr(upload, _PROCESSED, None)
    if done is not None:
        return done
    with _processing:
        try:
            done = _process(upload)
        finally:
            _give_memory_back()
    # An object that takes no attributes is simply processed again if asked.
    with contextlib.suppress(AttributeError):
        setattr(upload, _PROCESSED, done)
    return done


def _process(upload):
    image = _open_checked(upload)
    fmt = SAVE_AS.get(image.format, image.format)
    image = _upright(image)
    # Down to the working size first: the copy below and the encoders then handle 1600
    # pixels, not the decoded 3000.
    image.thumbnail((FULL_MAX_SIDE, FULL_MAX_SIDE), Image.Resampling.LANCZOS)
    # Rebuild from pixels only: no EXIF, XMP, ICC or text chunks survive.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    del image
    stem = uuid.uuid4().hex
    full = ContentFile(_encode(clean, fmt), name=f"{stem}.{ALLOWED_FORMATS[fmt]}")
    return full, ContentFile(make_thumbnail_bytes(clean), name=f"{stem}-thumb.jpg")


def _load_libc():
    with contextlib.suppress(OSError, TypeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        if hasattr(libc, "malloc_trim"):
            return libc
    return None


_libc = _load_libc()


def _give_memory_back():
    """Return the freed decode buffers to the system (glibc's malloc_trim; elsewhere a no-op).

    glibc keeps freed memory in the arena of the thread that used it, one arena per thread:
    with 8 threads taking turns at decoding, a worker would otherwise keep several decodes'
    worth of memory it no longer uses (measured: 289 MiB instead of ~180).
    """
    if _libc is not None:
        _libc.malloc_trim(0)


def attach_image(instance, image, *, field="image", thumbnail="thumbnail"):
    """Store a checked image and its thumbnail in two file fields of `instance` (unsaved).

    `image` is an upload, or the (full, thumbnail) pair `process_image` made already (to
    decode outside a transaction).
    """
    full, thumb = image if isinstance(image, tuple) else process_image(image)
    getattr(instance, field).save(full.name, full, save=False)
    getattr(instance, thumbnail).save(thumb.name, thumb, save=False)
    return instance


def make_thumbnail_bytes(image):
    """A THUMBNAIL_WIDTH-wide JPEG (never enlarged), white behind transparent parts."""
    thumb = image.copy()
    if thumb.width > THUMBNAIL_WIDTH:
        height = max(1, round(thumb.height * THUMBNAIL_WIDTH / thumb.width))
        thumb = thumb.resize((THUMBNAIL_WIDTH, height), Image.Resampling.LANCZOS)
    if thumb.mode in ("RGBA", "LA"):
        background = Image.new("RGB", thumb.size, "white")
        background.paste(thumb, mask=thumb.getchannel("A"))
        thumb = background
    return _encode(thumb, "JPEG")


class ImageUploadField(forms.FileField):
    """One photo: the file input accepts images, the server checks the bytes."""

    default_validators = [validate_image_upload]

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", image_help_text())
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.setdefault("accept", "image/jpeg,image/png,image/webp")
        return attrs


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(ImageUploadField):
    """Several photos from one `<input type="file" multiple>`; cleaned to a list of files."""

    widget = MultipleFileInput

    def __init__(self, *, max_files=9, **kwargs):
        self.max_files = max_files
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise ValidationError(
                _("You can add at most %(max)d images."),
                code="too_many_images",
                params={"max": self.max_files},
            )
        errors, cleaned = [], []
        for upload in files:
            try:
                cleaned.append(super().clean(upload, initial))
            except ValidationError as error:
                name = getattr(upload, "name", "")
                errors.extend(f"{name}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


def image_help_text():
    # Lazy: evaluated in the language of the request that shows the form.
    return _("JPEG, PNG or WebP photos, at most 5 MB each. Location data is removed.")
