"""`make load` / `python -m bench.load`: the server's budgets per visitor under load (issue 10).

Three scenarios against `streamlit run app.py`, each on a fresh server:
    links:      200 distinct links at the largest settings the controls allow, one after
                another, each a new session: the server's memory during and after a minute idle;
    held:       20 sessions open at once on distinct largest-setting links, then closed:
                the memory they hold, and what is left a minute later;
    crowd:      30 sessions at once, each moving a slider about every two seconds for 60 s:
                errors, and the time of each rerun (p50, p95);
    neighbour:  one client loops through largest-setting links while another moves a slider
                on the default page: the second one's rerun times, against the same client
                alone on the server measured first.

The clients speak Streamlit's own websocket protocol (BackMsg and ForwardMsg protobufs), as the
page does, without drawing anything: the server does exactly the work it does for a browser
(the script, its caches, the plot's parts, the messages), and 30 of them fit on two cores where
30 Chromiums would not. A rerun's time runs from sending the message to the server's "script
finished" message. Memory is the server process's resident set (VmRSS).
"""

import json
import random
import statistics
import sys
import threading
import time
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from bench.browser import percentile
from tests.e2e.harness import Server

RESULTS = Path(__file__).resolve().parent / "LOAD.md"
LARGEST = {"iterations": 2000, "resolution": 1000, "n_samples": 200, "seq_len": 200}
MB = 1024**2


def largest_link(i):
    """The i-th distinct link at the largest settings: its own data set, so nothing is shared."""
    return "&".join(f"{k}={v}" for k, v in {**LARGEST, "seed": 1000 + i}.items())


def rss_mb(pid):
    """The process's resident memory, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def idle_memory(pid, seconds):
    """The process's resident memory every 5 s while nobody visits, for seconds."""
    samples = []
    for _ in range(int(seconds // 5)):
        time.sleep(5)
        samples.append(rss_mb(pid))
    return samples


class Rerun:
    """What one script run cost the client: seconds, bytes received, and any error shown."""

    def __init__(self, seconds, received, errors):
        self.seconds, self.received, self.errors = seconds, received, errors


class Client:
    """One visitor's session over the websocket: opens a link, then moves sliders."""

    def __init__(self, url, query="", timeout=120.0):
        host = url.removeprefix("http://")
        self.socket = connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=["streamlit"],
            origin=url,
            max_size=64 * MB,
            open_timeout=timeout,
            legacy=True,  # a plain connection object, closed in close(), not a context manager
        )
        self.timeout = timeout
        self.query = query
        self.widgets = {}  # user key -> widget id, from the elements the server sent
        self.opened = self.rerun()

    def rerun(self, states=()):
        message = BackMsg()
        message.rerun_script.query_string = self.query
        message.rerun_script.page_script_hash = ""
        for widget_id, value in states:
            state = message.rerun_script.widget_states.widgets.add()
            state.id = widget_id
            state.double_array_value.data.append(value)
        start = time.perf_counter()
        self.socket.send(message.SerializeToString())
        return self._until_finished(start)

    def move(self, key, value):
        """Set a slider (a one-number st.slider) as the browser does, and wait for the rerun."""
        return self.rerun([(self.widgets[key], value)])

    def _until_finished(self, start):
        received, errors = 0, []
        while True:
            data = self.socket.recv(timeout=self.timeout)
            received += len(data)
            message = ForwardMsg()
            message.ParseFromString(data)
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    errors.append(f"exception: {element.exception.message[:200]}")
                widget = getattr(element, which, None)
                widget_id = getattr(widget, "id", "")
                if widget_id.startswith("$$ID-"):
                    self.widgets[widget_id.split("-", 2)[2]] = widget_id
            elif kind == "script_finished":
                if message.script_finished != 0:  # FINISHED_SUCCESSFULLY
                    errors.append(f"script finished with status {message.script_finished}")
                return Rerun(time.perf_counter() - start, received, errors)

    def close(self):
        self.socket.close()


# --------------------------------------------------------------------------- scenarios


def links(server, count=200, idle_s=60.0):
    """count distinct largest-setting links in a row, then idle: memory, and each link's time."""
    pid = server.process.pid
    start_mb = rss_mb(pid)
    seconds, received, errors, peak = [], [], [], start_mb
    for i in range(count):
        client = Client(server.url, largest_link(i))
        seconds.append(client.opened.seconds)
        received.append(client.opened.received)
        errors += client.opened.errors
        client.close()
        peak = max(peak, rss_mb(pid))
        if i % 20 == 19:
            print(f"  {i + 1} links: {rss_mb(pid):.0f} MB", file=sys.stderr)
    return memory_report(
        pid,
        start_mb,
        idle_s,
        errors,
        links=count,
        peak_mb=peak,
        after_mb=rss_mb(pid),
        link_s_median=statistics.median(seconds),
        link_s_max=max(seconds),
        received_mb_max=max(received) / MB,
    )


def held(server, sessions=20, idle_s=60.0):
    """sessions largest-setting links open at once, then all closed: memory held and returned.

    A closed tab's session stays disconnectedSessionTTL (30 s) for a reconnect, then goes.
    """
    pid = server.process.pid
    start_mb = rss_mb(pid)
    clients = [Client(server.url, largest_link(20_000 + i)) for i in range(sessions)]
    open_mb = rss_mb(pid)
    errors = [error for client in clients for error in client.opened.errors]
    for client in clients:
        client.close()
    return memory_report(pid, start_mb, idle_s, errors, sessions=sessions, open_mb=open_mb)


def memory_report(pid, start_mb, idle_s, errors, **figures):
    """A scenario's figures, with the errors seen and the server's memory at its start and
    after idle_s seconds idle (idle_memory waits)."""
    return {**figures, "errors": errors, "start_mb": start_mb, "idle_mb": idle_memory(pid, idle_s)}


SLIDERS = {  # key: values a person can reach (on the slider's steps)
    "eta_p": [round(1.01 + 0.01 * i, 2) for i in range(100)],
    "eta_n": [round(0.01 + 0.01 * i, 2) for i in range(99)],
    "wx0": [round(-3 + 0.1 * i, 1) for i in range(61)],
    "wrec0": [round(-3 + 0.1 * i, 1) for i in range(61)],
    "iterations": list(range(10, 2001, 10)),
}


def _mover(url, until, think_s, times, errors, rng):
    try:
        client = Client(url)
        while time.monotonic() < until:
            key = rng.choice(list(SLIDERS))
            rerun = client.move(key, rng.choice(SLIDERS[key]))
            times.append(rerun.seconds)
            errors.extend(rerun.errors)
            time.sleep(rng.uniform(*think_s))
        client.close()
    except Exception as error:  # a dropped connection or a timeout is the finding
        errors.append(f"{type(error).__name__}: {error}")


def crowd(server, sessions=30, seconds=60.0, think_s=(1.0, 3.0)):
    """sessions visitors at once, each moving a random slider, then thinking think_s."""
    pid = server.process.pid
    times, errors, peak = [], [], rss_mb(pid)
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=_mover, args=(server.url, until, think_s, times, errors, random.Random(n))
        )
        for n in range(sessions)
    ]
    for thread in threads:
        thread.start()
        time.sleep(0.1)  # visitors arrive over three seconds, not in one instant
    while any(thread.is_alive() for thread in threads):
        peak = max(peak, rss_mb(pid))
        time.sleep(1)
    return {
        "sessions": sessions,
        "reruns": len(times),
        "errors": errors,
        "p50_s": statistics.median(times),
        "p95_s": percentile(times, 0.95),
        "max_s": max(times),
        "peak_mb": peak,
    }


def _neighbour_times(url, until, rng):
    client = Client(url)
    times = []
    while time.monotonic() < until:
        times.append(client.move("eta_p", rng.choice(SLIDERS["eta_p"])).seconds)
        time.sleep(0.5)
    client.close()
    return times


def neighbour(server, seconds=60.0):
    """A default-page visitor's reruns alone, then while another loops largest links."""
    alone = _neighbour_times(server.url, time.monotonic() + seconds / 2, random.Random(1))
    stop = threading.Event()
    looped = []

    def loop_links():
        i = 0
        while not stop.is_set():
            client = Client(server.url, largest_link(10_000 + i))
            looped.append(client.opened.seconds)
            client.close()
            i += 1

    looper = threading.Thread(target=loop_links)
    looper.start()
    try:
        shared = _neighbour_times(server.url, time.monotonic() + seconds, random.Random(2))
    finally:
        stop.set()
        looper.join()
    return {
        "alone_median_s": statistics.median(alone),
        "shared_median_s": statistics.median(shared),
        "shared_p95_s": percentile(shared, 0.95),
        "reruns": len(shared),
        "links_looped": len(looped),
        "link_s_median": statistics.median(looped),
    }


SCENARIOS = {"links": links, "held": held, "crowd": crowd, "neighbour": neighbour}


def main(names):
    results = {}
    for name in names:
        print(f"{name} ...", file=sys.stderr)
        with Server() as server:
            results[name] = SCENARIOS[name](server)
        print(json.dumps(results[name], indent=1), file=sys.stderr)
    return results


def report(results):
    rows = []
    if "links" in results:
        r = results["links"]
        rows += [
            ("memory during 200 largest-setting links (MB, peak)", r["peak_mb"], "<= 600"),
            ("memory after a minute idle (MB)", r["idle_mb"][-1], "<= 450"),
            (
                "one largest-setting link, server time to finished (s, median)",
                r["link_s_median"],
                "<= 1",
            ),
            ("bytes received for one largest-setting link (MB, max)", r["received_mb_max"], "<= 2"),
            ("errors over the 200 links", len(r["errors"]), "<= 0"),
        ]
    if "held" in results:
        r = results["held"]
        rows += [
            ("20 largest-setting sessions open at once (MB)", r["open_mb"], "<= 600"),
            ("the same a minute after they closed (MB)", r["idle_mb"][-1], "<= 450"),
        ]
    if "crowd" in results:
        r = results["crowd"]
        rows += [
            ("30 sessions moving sliders for 60 s: rerun p95 (s)", r["p95_s"], "<= 1"),
            ("30 sessions: rerun median (s)", r["p50_s"], None),
            ("30 sessions: errors", len(r["errors"]), "<= 0"),
            ("30 sessions: memory (MB, peak)", r["peak_mb"], None),
        ]
    if "neighbour" in results:
        r = results["neighbour"]
        rows += [
            (
                "a default rerun while another client loops largest links (s, median)",
                r["shared_median_s"],
                "<= 0.3",
            ),
            ("the same rerun alone on the server (s, median)", r["alone_median_s"], None),
        ]
    return rows


def write(results):
    from bench.__main__ import machine
    from bench.core import target_met

    lines = [
        "# Load report",
        "",
        "Made by `make load` (`python -m bench.load`): see the module's docstring for what each "
        "scenario does. Each scenario runs on a fresh `streamlit run app.py`.",
        "",
        *machine(),
        "",
        "| measure | value | target | met? |",
        "|---|---:|---|---|",
        *(
            f"| {name} | {value:.3g} | {target or ''} | {target_met(value, target)} |"
            for name, value, target in report(results)
        ),
        "",
        "Raw figures:",
        "",
        "```",
        json.dumps(results, indent=1),
        "```",
        "",
    ]
    RESULTS.write_text("\n".join(lines))
    print(f"written to {RESULTS}", file=sys.stderr)


if __name__ == "__main__":
    chosen = sys.argv[1:] or list(SCENARIOS)
    results = main(chosen)
    for name, value, target in report(results):
        print(f"{name}: {value:.3g} (target {target})")
    if chosen == list(SCENARIOS):
        write(results)
