"""Run the same thing in several threads at once, each on its own database connection.

For races that only show with real concurrent transactions: use it in tests marked
`@pytest.mark.django_db(transaction=True)` (rows committed, visible to every connection),
never inside one test transaction, where the threads could not see each other's writes.

    results = run_concurrently(lambda i: client_for(resident).post(url, data), 12)
    assert results.errors == []
    assert [r.status_code for r in results.values] == [302] * 12
"""

import threading
from dataclasses import dataclass, field

from django.db import connections


@dataclass
class Outcome:
    values: list = field(default_factory=list)  # what each call returned, in thread order
    errors: list = field(default_factory=list)  # exceptions raised, in no particular order


def run_concurrently(fn, n, *, timeout=60):
    """Call fn(i) for i in 0..n-1 in n threads released together by a barrier.

    Each thread closes its database connections at the end (Django opens one per thread,
    and an open one would keep the test database from being flushed or dropped). Returns
    an Outcome; the values of calls that raised are None.
    """
    barrier = threading.Barrier(n)
    values, errors = [None] * n, []

    def worker(i):
        try:
            barrier.wait(timeout)
            values[i] = fn(i)
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return Outcome(values, errors)


def clients_of(user, n):
    """n test clients sharing one signed-in session of `user`: taps of one browser."""
    from django.test import Client

    first = Client()
    first.force_login(user)
    clients = [first]
    for _ in range(n - 1):
        client = Client()
        client.cookies = first.cookies
        clients.append(client)
    return clients
