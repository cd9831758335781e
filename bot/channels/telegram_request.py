"""python-telegram-bot's Bot API calls over aiohttp's client, with JSON bodies.

Every reply and every reminder is one Bot API call, and the call is most of what a message
costs the service. On loopback PTB's default client (httpx, fields form-encoded) spends about
1.2 ms of CPU per call; aiohttp's client, which the service already runs for its own HTTP
server, about 0.4 ms with a JSON body (benchmarks/RESULTS.md §4). Uploads still go as
multipart forms, as the Bot API requires.

The timeouts keep PTB's meaning where aiohttp has one: ``connect`` bounds the wait for a pooled
connection plus connecting, ``read`` the silence between parts of the answer. aiohttp has no
write timeout, so the whole call is bounded by the sum of the four. Proxies come from the
environment (HTTPS_PROXY, NO_PROXY), as with PTB's default client, read once per host: aiohttp's
own ``trust_env`` reads them in a worker thread on every request.
"""

from __future__ import annotations

import json
import ssl
import urllib.request
from functools import cache
from urllib.parse import urlsplit

import aiohttp
import httpx
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

JSON = {"Content-Type": "application/json"}


@cache
def tls_context() -> ssl.SSLContext:
    """One CA bundle for every Telegram client in the process: loading it takes a noticeable
    fraction of a second, and each PTB bot makes two clients."""
    return httpx.create_ssl_context()  # certifi's bundle, SSL_CERT_FILE honoured


@cache
def env_proxy(scheme: str, host: str) -> str | None:
    """The proxy the environment names for ``host``, or None."""
    if urllib.request.proxy_bypass(host):
        return None
    return urllib.request.getproxies().get(scheme)


class AiohttpRequest(BaseRequest):
    """A ``BaseRequest`` for ``Application.builder().request(...)`` and ``Bot(request=...)``,
    holding up to ``connection_pool_size`` connections."""

    def __init__(
        self,
        connection_pool_size: int = 1,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 5.0,
        write_timeout: float = 5.0,
        pool_timeout: float = 1.0,
        media_write_timeout: float = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._defaults = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self._defaults[0]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = self._open()

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(limit=self._pool_size, ssl=tls_context())
        return aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": self.USER_AGENT},
            cookie_jar=aiohttp.DummyCookieJar(),  # the Bot API sets none
        )

    def _client(self) -> aiohttp.ClientSession:
        """The session; opened on first use, since PTB's ``Bot`` works uninitialized."""
        if self._session is None:
            self._session = self._open()
        if self._session.closed:
            raise RuntimeError("This AiohttpRequest is shut down")
        return self._session

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        files = request_data is not None and request_data.contains_files
        default_read, default_write, default_connect, default_pool = self._defaults
        timeouts = (
            _given(read_timeout, default_read),
            _given(write_timeout, self._media_write_timeout if files else default_write),
            _given(connect_timeout, default_connect),
            _given(pool_timeout, default_pool),
        )
        read, _, connect, pool = timeouts
        timeout = aiohttp.ClientTimeout(
            total=None if None in timeouts else sum(t for t in timeouts if t is not None),
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read,
        )
        body, headers = _body(request_data)
        parts = urlsplit(url)
        proxy = env_proxy(parts.scheme, parts.hostname or "")
        try:
            async with self._client().request(
                method, url, data=body, headers=headers, timeout=timeout, proxy=proxy
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:  # before ClientError: aiohttp's timeouts are both
            raise TimedOut(f"Timed out: aiohttp.{type(error).__name__}") from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error


def _given(value: ODVInput[float], default: float) -> float | None:
    """PTB passes a ``DefaultValue`` for a timeout the caller did not set (the signature is
    PTB's, hence its private types)."""
    return default if isinstance(value, DefaultValue) else value


def _body(
    request_data: RequestData | None,
) -> tuple[bytes | aiohttp.FormData | None, dict[str, str] | None]:
    """A JSON object of the call's parameters, or a multipart form when it uploads files."""
    if request_data is None:
        return None, None
    if not request_data.contains_files:
        return json.dumps(request_data.parameters, ensure_ascii=False).encode(), JSON
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, content_type) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=content_type)
    return form, None
