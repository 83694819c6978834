"""gunicorn's settings. gunicorn reads this file from the directory it starts in
(`make run` passes it with -c); the command line and GUNICORN_CMD_ARGS override it.

Threaded workers (gthread), not the default sync ones. Browsers open connections
ahead of need (pre-connect) and keep idle ones open (keep-alive). A sync worker
serves one connection at a time: it accepts such a connection and then blocks
reading a request line that never comes, so it stops answering, its heartbeat
stops, and after `timeout` seconds the arbiter kills it ("WORKER TIMEOUT (no URI
read)") while every other request waits. A gthread worker parks idle connections
in a poller and hands a connection to a thread only when a request arrives, so an
idle browser connection costs nothing and blocks no one."""

import os

worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# An idle keep-alive connection is closed after this many seconds.
keepalive = 5
# A request (not an idle connection) taking longer than this is stuck: restart the worker.
timeout = 30
graceful_timeout = 5
