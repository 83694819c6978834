"""A throwaway PostgreSQL cluster on 127.0.0.1 for `make faults` and `make load`,
made as .ci/run makes one: initdb into a temporary folder (as the postgres user
when run as root), started with pg_ctl, stopped and deleted at the end.

    with Cluster(port=5443) as pg:
        pg.createdb("omavalvonta")
        url = pg.url("omavalvonta")
        pg.restart()            # a fast restart: every session gets AdminShutdown
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path


def _pgbin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: [int(x) for x in p.split("/")[4].split(".") if x.isdigit()])
    if not found:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql): make faults and make load need it.")
    return Path(found[-1]).parent


class Cluster:
    def __init__(self, *, port: int):
        self.port = port
        self.bin = _pgbin()
        self.dir = Path(tempfile.mkdtemp(prefix="omavalvonta-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.as_pg: list[str] = []
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                subprocess.run(["useradd", "--system", "--home-dir", str(self.dir), "--shell", "/usr/sbin/nologin",
                                "postgres"], check=True)
            shutil.chown(self.dir, "postgres")
            self.as_pg = ["runuser", "-u", "postgres", "--"]

    def _pg(self, *args, check=True, quiet=True):
        return subprocess.run([*self.as_pg, *map(str, args)], check=check,
                              stdout=subprocess.DEVNULL if quiet else None, stderr=subprocess.PIPE, text=True)

    def __enter__(self) -> Cluster:
        self._pg(self.bin / "initdb", f"--pgdata={self.data}", "--username=postgres", "--auth=trust",
                 "--encoding=UTF8", "--no-locale")
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self) -> None:
        # No fsync: the cluster lives a few minutes, and a fast restart flushes
        # everything anyway. Committed means committed for these scenarios.
        options = (f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c full_page_writes=off "
                   "-c max_connections=200")
        done = self._pg(self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60", "start", "-o", options,
                        check=False)
        if done.returncode != 0:
            raise SystemExit(f"PostgreSQL did not start on 127.0.0.1:{self.port}:\n{self.log.read_text()[-3000:]}")

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop", check=False)

    def restart(self, mode: str = "fast") -> float:
        """Stop (terminating every session) and start again; returns the seconds it was away."""
        started = time.monotonic()
        self.stop(mode)
        self.start()
        return time.monotonic() - started

    def createdb(self, name: str) -> None:
        subprocess.run([self.bin / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name],
                       check=True)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"
