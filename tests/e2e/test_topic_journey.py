"""李梅 (`resident`, 公交新村) in large text at phone width: opens the discussion hall from the
navigation, posts a suggestion with a photo on the open topic, and supports a neighbour's."""

import io
import random

import pytest
from django.utils import timezone

from notices.demo import topics as demo_topics
from notices.models import Suggestion, Support, Topic
from portal.models import User
from tests.images import image_bytes

pytestmark = pytest.mark.e2e
PHOTO = image_bytes("JPEG", size=(800, 600), color="#4a7c59")


def test_it_takes_a_resident_from_the_hall_to_a_suggestion_and_support(
    phone_page, live_url, sign_in, shot
):
    # seed_demo builds the hall once its builder list includes demo_topics; building it
    # here as well is harmless (the builder skips what exists).
    demo_topics.build(stdout=io.StringIO(), rng=random.Random(7), today=timezone.localdate())
    topic = Topic.objects.get(title=demo_topics.OPEN_TITLE)
    page = phone_page

    sign_in(page, "resident")
    page.locator("header button.pref-button[aria-pressed]").click()
    page.wait_for_load_state()
    assert "large-text" in page.eval_on_selector("html", "el => el.className")

    # The hall, through the navigation: the open topic of 公交新村 comes first.
    page.click(".site-menu > summary")  # on a phone the navigation is folded under 菜单
    page.click("nav.site-nav a[href='/topics/']")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "邻里议事厅"
    first = page.locator(".topic-list .topic-title a").first
    assert first.inner_text() == topic.title
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "hall")

    first.click()
    page.wait_for_load_state()
    assert page.url == f"{live_url}/topics/{topic.pk}/"
    shot(page, "topic")

    # A suggestion with a photo from the phone.
    page.fill("#suggest textarea[name=text]", "车棚旁边装一个灭火器箱，再贴上充电安全提示。")
    page.set_input_files(
        "#suggest input[name=photo]",
        files=[
            {
                "name": "IMG_0001.jpg",
                "mimeType": "image/jpeg",
                "buffer": image_bytes("JPEG", size=(800, 600), color="#4a7c59"),
            }
        ],
    )
    page.click("#suggest button[type=submit]")
    page.wait_for_load_state()
    mine = Suggestion.objects.get(topic=topic, author__username="resident")
    assert mine.photo and mine.thumbnail
    assert f"#suggestion-{mine.pk}" in page.url
    card = page.locator(f"#suggestion-{mine.pk}")
    assert "灭火器箱" in card.inner_text()
    assert card.locator("img.suggestion-photo").count() == 1
    assert page.locator(".message.success").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "suggestion_posted")

    # Support (附议) the most supported neighbour's suggestion: the count goes up by one
    # and the button becomes "我已附议".
    other = Suggestion.objects.filter(topic=topic).exclude(author__username="resident").first()
    other_card = page.locator(f"#suggestion-{other.pk}")
    before = int(other_card.locator(".support-count strong").inner_text())
    other_card.locator("button", has_text="附议").click()
    page.wait_for_load_state()
    other_card = page.locator(f"#suggestion-{other.pk}")
    assert int(other_card.locator(".support-count strong").inner_text()) == before + 1
    assert "我已附议" in other_card.inner_text()
    resident = User.objects.get(username="resident")
    assert Support.objects.filter(suggestion=other, user=resident).count() == 1
    shot(page, "supported")
