"""Peak memory of the web server, the worker and the reader for real and hostile uploads.

    python benchmarks/import_memory.py [--rows 100000] [--database-url URL] [--skip-baseline]

For each file, a fresh web server (`jingzhun runserver`, loopback only) and a fresh worker
(`jingzhun worker`) are started; the file is uploaded over HTTP as an employment officer, the
worker reads (and for the roster checks) it, and meanwhile the web is asked for a page every
0.2 s. Printed per file: the outcome, the peak resident memory (VmHWM) of the web process, of
the worker and of the worker's reading child, and the slowest web answer while the worker
was busy. The baseline, measured in the same run, is the previous way of reading: the whole
sheet into Python lists in one process (capped at 4 GB, so the hostile files die there
instead of taking the machine), with its peak and the ratio of the new reader's peak to it.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, start_django

MB = 1024 * 1024
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
BASELINE_CAP = 4096 * MB
BASELINE = r"""
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[3]), int(sys.argv[3])))
from jingzhun.core.tabular import cell_text
path, name = sys.argv[1], sys.argv[2]
if name.endswith(".csv"):
    import csv, io
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    rows = [[cell_text(c) for c in r] for r in csv.reader(io.StringIO(text))]
else:
    from python_calamine import CalamineWorkbook
    sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
    rows = [[cell_text(c) for c in r] for r in sheet.to_python(skip_empty_area=False)]
status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
print(status)
"""


def peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def make_files(folder: Path, rows: int) -> dict[str, Path]:
    from import_students import HEADER, make_rows

    from jingzhun.core.tests.hostile import newline_csv, two_cell_xlsx, zip_bomb_xlsx
    from jingzhun.students.tests.spreadsheets import xlsx_bytes

    files = {
        f"roster-{rows}.xlsx": xlsx_bytes(
            HEADER, make_rows(rows, [f"班{n:02d}" for n in range(100)])
        ),
        "two-cells.xlsx": two_cell_xlsx(),
        "newlines.csv": newline_csv(49 * MB),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    paths["zip-bomb.xlsx"] = folder / "zip-bomb.xlsx"
    zip_bomb_xlsx(paths["zip-bomb.xlsx"], 1160 * MB)
    return paths


class Browser:
    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str) -> str:
        with self.opener.open(BASE + path, timeout=60) as response:
            return response.read().decode()

    def login(self, username: str, password: str) -> None:
        self.get("/login/")
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf()}
        ).encode()
        request = urllib.request.Request(BASE + "/login/", body, headers={"Referer": BASE})
        self.opener.open(request, timeout=60).read()

    def upload(self, path: Path) -> int:
        self.get("/students/imports/")
        boundary = uuid.uuid4().hex
        fields = {"kind": "students", "source": "", "csrfmiddlewaretoken": self.csrf()}
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + path.read_bytes()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            BASE + "/students/imports/", b"".join(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": BASE},
        )  # fmt: skip
        with self.opener.open(request, timeout=600) as response:
            match = re.search(r"/students/imports/(\d+)/", response.url)
            assert match, response.url
            return int(match[1])


def wait_for_web() -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(BASE + "/login/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the web server did not start")


def measure(path: Path, env: dict[str, str]) -> dict[str, object]:
    from jingzhun.students.intake import services
    from jingzhun.students.intake.models import ImportBatch

    jingzhun = str(Path(sys.executable).with_name("jingzhun"))
    web = subprocess.Popen([jingzhun, "runserver", f"127.0.0.1:{PORT}", "--noreload"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    worker = subprocess.Popen([jingzhun, "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for_web()
        browser = Browser()
        browser.login("bench", "bench-password-1")
        started = time.perf_counter()
        batch_id = browser.upload(path)
        slowest = 0.0
        while True:
            batch = ImportBatch.objects.get(pk=batch_id)
            if batch.status == "uploaded":
                services.import_batch_request_check(batch=batch)  # the user pressing "check"
            elif batch.status not in {"reading", "validating"}:
                break
            asked = time.perf_counter()
            browser.get("/students/imports/")
            slowest = max(slowest, time.perf_counter() - asked)
            time.sleep(0.2)
        return {
            "outcome": batch.status if batch.status != "failed" else batch.failure[:40] + "…",
            "seconds": time.perf_counter() - started,
            "web_mb": peak_kb(web.pid) / 1024,
            "worker_mb": peak_kb(worker.pid) / 1024,
            "reader_mb": batch.reading.get("peak_kb", 0) / 1024,
            "slowest_web_s": slowest,
        }
    finally:
        for process in (web, worker):
            process.terminate()
            process.wait(timeout=30)


def baseline(path: Path) -> tuple[str, float]:
    """The old read in a child; its own VmHWM (ru_maxrss would include this process's)."""
    done = subprocess.run([sys.executable, "-c", BASELINE, str(path), path.name, str(BASELINE_CAP)],
                          capture_output=True, check=False)  # fmt: skip
    if done.returncode != 0:
        return "died", BASELINE_CAP / MB
    return "read", int(done.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    scratch = start_django(database_url=args.database_url)
    from import_students import make_college

    from jingzhun.org.models import User

    make_college()
    user = User.objects.get(username="bench")
    user.set_password("bench-password-1")
    user.save()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    files = make_files(Path(tempfile.mkdtemp(prefix="jingzhun-hostile-", dir=scratch)), args.rows)
    print(f"{'file':<22}{'size':>9}  {'outcome':<44}{'s':>6}{'web MB':>8}{'worker MB':>10}"
          f"{'reader MB':>10}{'slowest web s':>14}{'baseline MB':>12}{'ratio':>7}")  # fmt: skip
    for name, path in files.items():
        result = measure(path, env)
        ours = float(result["reader_mb"])  # type: ignore[arg-type]
        base_outcome, base_mb = ("skipped", 0.0) if args.skip_baseline else baseline(path)
        ratio = f"{ours / base_mb:.2f}" if base_mb else "-"
        print(f"{name:<22}{path.stat().st_size / MB:>7.1f}MB  {result['outcome']!s:<44}"
              f"{result['seconds']:>6.1f}{result['web_mb']:>8.0f}{result['worker_mb']:>10.0f}"
              f"{result['reader_mb']:>10.0f}{result['slowest_web_s']:>14.2f}"
              f"{base_mb:>9.0f} {base_outcome[:2]}{ratio:>7}")  # fmt: skip
    print(f"(baseline: the whole sheet read into lists in one process, capped at "
          f"{BASELINE_CAP // MB} MB; 'di' = it died at the cap; ratio = reader / baseline, the "
          "reading alone; the worker's figure includes checking every row)")  # fmt: skip


if __name__ == "__main__":
    main()
