"""benchmarks/run.py's comparison of the district with the small demo (issue 14: no page
slower on the district by more than 20 %): its arithmetic, without gunicorn or wrk."""

import pytest

from benchmarks.run import format_small_row, median_of, versus_small
from portal.models import AccessLog


def test_it_passes_a_page_up_to_20_percent_slower():
    result = versus_small([(10.0, 11.0), (10.0, 12.0), (10.0, 9.0)])
    assert result == {"small": 10.0, "district": 11.0, "ratio": 1.1, "verdict": "ok"}
    assert versus_small([(10.0, 12.0)])["verdict"] == "ok"  # 20 % exactly: still within


def test_it_says_by_how_much_a_page_is_slower():
    result = versus_small([(10.0, 13.0), (10.0, 15.0), (10.0, 14.0)])
    assert result["ratio"] == 1.4
    assert result["verdict"] == "slower by 40 %"
    assert versus_small([(10.0, 12.5)])["verdict"] == "slower by 25 %"


def test_it_takes_the_median_of_the_pairs_ratios():
    """The machine's other load moves a pair together: two pairs at 1.1 (one quiet, one
    loaded) and one where the load came between small and district. The medians' ratio
    (26 / 12) would say "slower"; the pairs say 1.1."""
    result = versus_small([(10.0, 11.0), (30.0, 33.0), (12.0, 26.0)])
    assert (result["small"], result["district"]) == (12.0, 26.0)
    assert round(result["ratio"], 6) == 1.1
    assert result["verdict"] == "ok"


def test_it_does_not_pass_a_run_that_finished_no_request():
    """wrk reports a p50 of 0 when no request finished within the run."""
    result = versus_small([(10.0, 11.0), (10.0, 0.0), (10.0, 11.0)])
    assert result["ratio"] is None
    assert result["verdict"] == "not measured: a run finished no request"


def test_it_has_nothing_to_say_without_the_small_demo():
    assert versus_small([]) is None  # --no-small


def test_median_of_takes_each_figure_s_median_and_sums_the_errors():
    def run(rps, p50, bad):
        figures = {"rps": rps, "p50": p50, "p99": p50 * 2, "bad": bad}
        return {1: {"hello": figures, "page": figures, "ratio": rps / 1000}}

    median = median_of([run(300, 9.0, 0), run(100, 30.0, 2), run(200, 10.0, 1)])
    assert median[1]["page"] == {"rps": 200, "p50": 10.0, "p99": 20.0, "bad": 3}
    assert median[1]["ratio"] == 0.2


def test_the_row_names_the_small_demo_s_own_path_and_the_verdict():
    row = {
        "who": "huyun",
        "path": "/staff/households/?page=65",
        "small_path": "/staff/households/?page=3",
        "vs_small": versus_small([(50.0, 75.0)]),
        "small": {32: {"page": {"rps": 40.0, "bad": 0}}, 1: {"page": {"bad": 0}}},
        32: {"page": {"rps": 20.0}},
    }
    assert format_small_row(row) == (
        "| huyun | `/staff/households/?page=65` (small: `/staff/households/?page=3`) "
        "| 50.0 | 75.0 | 1.50 | 40 → 20 | 1.20: slower by 50 % |"
    )
    row["small"][1]["page"]["bad"] = 2  # e.g. a session the small demo did not take
    assert format_small_row(row).endswith("slower by 50 % (2 non-2xx on the small demo) |")


# --- The yardsticks (benchmarks/urls.py, only under benchmarks.settings) ---------------


@pytest.fixture
def yardstick_urls(settings):
    settings.ROOT_URLCONF = "benchmarks.urls"


@pytest.mark.django_db
@pytest.mark.usefixtures("yardstick_urls")
class TestYardsticks:
    def test_the_bare_view_answers_everyone(self, client):
        assert client.get("/__hello__/").content == b"hello"

    def test_the_signed_in_one_wants_an_account(self, client, login, resident):
        assert client.get("/__hello__/signed-in/").status_code == 302
        assert login(resident).get("/__hello__/signed-in/").content == b"hello"

    def test_the_staff_floor_wants_staff_and_writes_the_access_record(
        self, client, login, resident, huyun
    ):
        assert client.get("/__hello__/staff/").status_code == 302
        assert login(resident).get("/__hello__/staff/").status_code == 403
        assert not AccessLog.objects.exists()
        assert login(huyun).get("/__hello__/staff/").content == b"hello"
        (row,) = AccessLog.objects.all()
        assert (row.user, row.action, row.path) == (huyun, "household_list", "/__hello__/staff/")
