"""The soak figure: a working day compressed. A fresh client (all its threads loaded) lives
through eight hours of a busy shop's work in a few minutes, and its resident memory must not
grow by more than 5 % from the end of the first hour (caches filled, the dashboard built, the
first conversations opened) to the end of the eighth.

An hour: NEW_CUSTOMERS new customers write in and MESSAGES_PER_HOUR customer messages land in
the threads of the top of the list and the new ones (the bench posts them, as Messenger would);
the agent opens each thread written in, answers it through the composer, resolves every third,
types a search and looks at the dashboard (workday_agent.py, inside the client).
"""

from __future__ import annotations

import random
import time

import procstat
from harness import Child, Figure, Server, log

HOURS = 8
NEW_CUSTOMERS = 10
MESSAGES_PER_HOUR = 120
OPENS_PER_HOUR = 30
SEARCHES = ["bonjour", "colis", "Martin", "1042", "livraison", "merci"]
LIMIT_PCT = 5.0


def figure_workday(server: Server, client: Child, spread: list[str], quick: bool) -> Figure:
    rng = random.Random(11)
    hours = 3 if quick else HOURS
    pool = list(spread)
    rss: list[float] = [procstat.rss_mb(client.pid)]
    work: list[dict[str, object]] = []
    t0 = time.time()
    for hour in range(1, hours + 1):
        written: list[str] = []
        for i in range(NEW_CUSTOMERS):
            res = server.post(None, "Bonjour, une question", customer_name=f"Client {hour}-{i}")
            pool.append(res["thread"]["id"])
            written.append(res["thread"]["id"])
        for i in range(MESSAGES_PER_HOUR - NEW_CUSTOMERS):
            tid = rng.choice(pool[-60:])
            server.post(tid, f"Message {hour}-{i} : où en est ma commande ?")
            written.append(tid)
        todo = list(dict.fromkeys(reversed(written)))[:OPENS_PER_HOUR]
        searches = rng.sample(SEARCHES, 3)
        work.append(
            client.call("agent_hour", timeout=300, thread_ids=todo, hour=hour, searches=searches)
        )
        time.sleep(1.0)  # settled
        rss.append(procstat.rss_mb(client.pid))
        log(f"workday hour {hour}: RSS {rss[-1]:.1f} MB, {work[-1]}")
    growth = (rss[-1] - rss[1]) / rss[1] * 100
    sent = sum(int(w["sent"]) for w in work)  # type: ignore[call-overload]
    opened = sum(int(w["opened"]) for w in work)  # type: ignore[call-overload]
    return Figure(
        "workday_rss",
        f"memory growth over {hours} hours of work compressed (from the end of hour 1)",
        growth,
        "%",
        LIMIT_PCT,
        text=f"RSS {rss[1]:.1f} → {rss[-1]:.1f} MB in {time.time() - t0:.0f} s;"
        f" {opened} conversations opened, {sent} replies sent,"
        f" {hours * MESSAGES_PER_HOUR} customer messages",
        detail={"rss_mb": rss, "work": work},
    )
