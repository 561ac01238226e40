"""Ids from the query string: odd numbers are "no such id", never a 500 (finding 7)."""

import pytest

from portal.params import object_id


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), (" 7 ", 7), ("²", None), ("٣", None), ("１２", None), ("-1", None),
     ("0", None), ("9" * 25, None), ("1e3", None), ("", None), (None, None)],
)  # fmt: skip
def test_it_reads_only_plain_positive_ids(raw, expected):
    assert object_id(raw) == expected


@pytest.mark.parametrize("value", ["²", "٣", "9" * 25])
def test_it_shows_the_visit_form_for_an_odd_household(login, huyun, value):
    response = login(huyun).get("/staff/visits/new/", {"household": value})
    assert response.status_code == 200


def test_it_still_preselects_a_real_household(login, huyun, gjxc_household):
    response = login(huyun).get("/staff/visits/new/", {"household": str(gjxc_household.pk)})
    assert response.status_code == 200
    assert str(gjxc_household) in response.content.decode()


@pytest.mark.parametrize("value", ["²", "9" * 25])
def test_it_answers_404_to_an_odd_neighbourhood_feed(client, places, value):
    assert client.get("/notices/feed/", {"neighbourhood": value}).status_code == 404
