"""gunicorn for the load tests: started on a free loopback port with production settings,
and its workers' peak memory sampled from /proc."""

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import gunicorn
from django.conf import settings
from django.core.management.base import CommandError
from django.urls import reverse


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(work):
    """Production settings, except plain http on loopback (no redirect to https,
    cookies not secure-only: DJANGO_HTTPS=false) and no rate limit on patient links,
    since every patient here comes from the same address."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "false",
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "CLINIC_LINK_RATE_LIMIT": str(10**9),
    }


@contextlib.contextmanager
def serve(work, workers, log_path=None):
    """gunicorn with `workers` workers on a free loopback port, debug off, the same
    database: yields (its process, its address); its output goes to `log_path`
    (work/gunicorn.log unless given). Stopped on the way out."""
    env = server_env(work)
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    if subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env).returncode:
        raise CommandError("collectstatic failed (see above)")
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    log_path = log_path or work / "gunicorn.log"
    server_log = open(log_path, "w")  # noqa: SIM115 (closed in finally)
    command = [sys.executable, "-m", "gunicorn", "clinic.wsgi"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    if gunicorn.version_info >= (27,):  # no control socket in the home folder
        command.append("--no-control-socket")
    server = subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=server_log, stderr=subprocess.STDOUT
    )
    try:
        wait_until_up(server, host + reverse("login"), log_path)
        yield server, host
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server_log.close()


def wait_until_up(server, url, log_path):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    tail = Path(log_path).read_text()[-3000:]
    raise CommandError(f"gunicorn did not answer {url}:\n{tail}")


def memory_kb(status_text):
    """VmRSS and VmHWM (peak RSS) in kB from the text of /proc/<pid>/status."""
    found = {}
    for line in status_text.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    return found


def parent_pid(stat_text):
    """The parent's id from the text of /proc/<pid>/stat: "pid (name) state ppid ...".
    The name may hold spaces and parentheses, so the fields are counted after its end."""
    return int(stat_text.rpartition(")")[2].split()[1])


def children(pid):
    """The ids of a process's children, from /proc."""
    kids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if parent_pid((entry / "stat").read_text()) == pid:
                kids.append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return kids


class WorkerMemory(threading.Thread):
    """Samples the gunicorn workers' memory every half second; keeps each one's peak."""

    def __init__(self, master_pid):
        super().__init__(daemon=True)
        self.master_pid = master_pid
        self.peak_kb = {}
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            self.sample()
            self.stopped.wait(0.5)

    def sample(self):
        for pid in children(self.master_pid):
            try:
                found = memory_kb(Path(f"/proc/{pid}/status").read_text())
            except OSError:
                continue
            peak = max(found.get("VmRSS", 0), found.get("VmHWM", 0))
            self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), peak)

    def stop(self):
        self.stopped.set()
        self.join()
        self.sample()
