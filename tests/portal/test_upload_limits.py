"""Uploads that cannot stall the site (finding 5): a pixel budget, one decode, bounded bodies."""

import io
import threading
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

import portal.images as images
from portal.images import (
    FULL_MAX_SIDE,
    MAX_IMAGE_PIXELS,
    MAX_IMAGE_PIXELS_COSTLY,
    process_image,
    validate_image_upload,
)
from tests.images import image_bytes, upload


def rejected_code(data, name="big.png"):
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload(name, data, "image/png"))
    return error.value.code


def test_it_refuses_the_finding_5_png_from_its_header():
    """6320 × 6320 (40 Mpx, 170 KB) was decoded in full twice: +500 MiB, 3 s. Now refused."""
    assert MAX_IMAGE_PIXELS < 6320 * 6320
    assert rejected_code(image_bytes("PNG", size=(6320, 6320), mode="L", color=0)) == (
        "image_too_many_pixels"
    )


@pytest.fixture
def small_budget(monkeypatch):
    """The same rules at 1/1000 scale, so the test images stay small and quick."""
    assert MAX_IMAGE_PIXELS_COSTLY < MAX_IMAGE_PIXELS
    monkeypatch.setattr(images, "MAX_IMAGE_PIXELS", 24_000)
    monkeypatch.setattr(images, "MAX_IMAGE_PIXELS_COSTLY", 12_000)


@pytest.mark.parametrize(
    ("mode", "color"), [("RGBA", (0, 0, 0, 0)), ("LA", (0, 0)), ("I;16", 0), ("RGB", "red")]
)
def test_it_allows_fewer_pixels_for_alpha_or_16_bit(small_budget, mode, color):
    """Alpha costs a premultiplied copy on the way down, 16-bit samples twice the bytes."""
    validate_image_upload(upload("ok.png", image_bytes("PNG", (100, 100), color, mode)))
    data = image_bytes("PNG", size=(140, 140), mode=mode, color=color)  # 19,600 pixels
    if mode == "RGB":
        validate_image_upload(upload("ok.png", data, "image/png"))
    else:
        assert rejected_code(data) == "image_too_many_pixels"


def test_it_decodes_a_jpeg_at_a_reduced_scale(monkeypatch):
    """JPEG draft: a 4000 × 3000 photo is decoded at 1/2 scale, never at full size."""
    seen = []
    real = images._decode_small

    def spy(probe):
        image = real(probe)
        seen.append(probe.size)
        return image

    monkeypatch.setattr(images, "_decode_small", spy)
    full, _thumb = process_image(upload("big.jpg", image_bytes("JPEG", size=(4000, 3000))))
    assert seen == [(2000, 1500)]
    assert max(Image.open(full).size) == FULL_MAX_SIDE


def test_it_decodes_an_upload_once_for_the_form_and_the_service(monkeypatch):
    calls = []
    real = images._decode_small
    monkeypatch.setattr(images, "_decode_small", lambda probe: calls.append(1) or real(probe))
    photo = upload("p.png", image_bytes("PNG", size=(300, 200)), "image/png")
    validate_image_upload(photo)  # the form's validator
    first = process_image(photo)  # the service storing it
    assert process_image(photo) is first
    assert calls == [1]


def test_it_still_keeps_a_large_png_sharp_enough():
    """A large PNG is reduced by an integer factor (cheap), then resized to FULL_MAX_SIDE."""
    full, _thumb = process_image(
        upload("wide.png", image_bytes("PNG", size=(3400, 2550)), "image/png")
    )
    assert Image.open(io.BytesIO(full.read())).size == (1600, 1200)


def test_it_processes_one_image_at_a_time_per_process(monkeypatch):
    """gthread workers run several uploads in one process: the decode, the resize and both
    encodes of one image finish before the next image starts, so the peak stays one image's."""
    active, peak, lock = [0], [0], threading.Lock()
    real_decode, real_thumbnail = images._decode_small, images.make_thumbnail_bytes

    def decode(probe):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)  # long enough for the other threads to reach the same point
        return real_decode(probe)

    def thumbnail(image):
        data = real_thumbnail(image)  # the last step of an image's processing
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return data

    monkeypatch.setattr(images, "_decode_small", decode)
    monkeypatch.setattr(images, "make_thumbnail_bytes", thumbnail)
    photos = [upload(f"p{n}.jpg", image_bytes("JPEG", size=(800, 600))) for n in range(4)]
    threads = [threading.Thread(target=process_image, args=(photo,)) for photo in photos]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(hasattr(photo, images._PROCESSED) for photo in photos)
    assert peak[0] == 1


def test_it_gives_the_decode_memory_back_after_each_image_even_a_refused_one(monkeypatch):
    """glibc keeps freed memory per thread; a threaded worker trims after every image."""
    calls = []
    monkeypatch.setattr(images, "_give_memory_back", lambda: calls.append(1))
    process_image(upload("ok.jpg", image_bytes("JPEG", size=(300, 200))))
    with pytest.raises(ValidationError):
        process_image(upload("bad.jpg", b"not an image at all"))
    assert calls == [1, 1]
    images._give_memory_back()  # the real one runs (a no-op without glibc)


ROOT = Path(__file__).resolve().parents[2]


def test_make_run_the_readme_and_the_load_script_run_the_same_threaded_workers():
    """The figures in the README come from scripts/upload_load.py: it must run gunicorn the
    way `make run` and the deploy section do."""
    flags = "--worker-class gthread --threads 8"
    assert flags in (ROOT / "Makefile").read_text()
    assert flags in (ROOT / "README.md").read_text()
    script = (ROOT / "scripts" / "upload_load.py").read_text()
    assert '"--threads", type=int, default=8' in script
    assert '"gthread" if args.threads > 1' in script


# --- Request bodies over the limit are refused before they are read ---------------------


class ExplodingStream(io.RawIOBase):
    """A wsgi.input that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_it_refuses_a_body_over_the_limit_unread(client, settings, resident):
    settings.MAX_REQUEST_BODY_BYTES = 1024
    client.force_login(resident)
    response = client.generic(
        "POST",
        "/me/needs/new/",
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH="300000000",
        **{"wsgi.input": ExplodingStream()},
    )
    assert response.status_code == 413
    assert response["Connection"] == "close"
    assert "too much to send".lower() in response.content.decode().lower() or (
        "太多" in response.content.decode()
    )


def test_it_lets_a_body_within_the_limit_through(client, settings, resident):
    settings.MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024
    client.force_login(resident)
    response = client.post("/me/needs/new/", {"category": "", "description": ""})
    assert response.status_code == 400


def test_it_keeps_djangos_form_limit_below_the_body_limit(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= settings.MAX_REQUEST_BODY_BYTES
