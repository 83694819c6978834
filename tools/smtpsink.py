"""A local SMTP server on 127.0.0.1 (aiosmtpd) that records every message it
accepts, for `make faults`: it can be taken down and brought back, it counts
connections, and it can be made slow (a delay per message) so that a worker is
caught in the middle of a batch."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from email import message_from_bytes

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class _Handler:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        if self.sink.delay:
            await asyncio.sleep(self.sink.delay)
        message = message_from_bytes(envelope.content)
        with self.sink.lock:
            self.sink.messages.append(
                {"message_id": message.get("Message-ID", ""), "to": list(envelope.rcpt_tos),
                 "subject": message.get("Subject", "")}
            )
        return "250 Message accepted for delivery"


class _CountingSMTP(SMTP):
    def connection_made(self, transport):
        self._sink.connections += 1
        super().connection_made(transport)


class SmtpSink:
    def __init__(self, *, port: int):
        self.port = port
        self.messages: list[dict] = []
        self.connections = 0
        self.delay = 0.0
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    def start(self) -> None:
        sink = self

        class Counting(_CountingSMTP):
            _sink = sink

        class _Controller(Controller):
            def factory(self):
                return Counting(self.handler, **self.SMTP_kwargs)

        self.controller = _Controller(_Handler(self), hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def up(self) -> bool:
        return self.controller is not None

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
            self.connections = 0

    def ids(self) -> Counter:
        with self.lock:
            return Counter(m["message_id"] for m in self.messages)
