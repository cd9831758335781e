"""Settings from CANBO_* environment variables and an optional .env (DESIGN.md, "Contracts")."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.proxies import TrustedProxies
from locales import N_
from scheduler.timing import QuietWindow
from storage.models import Channel

# A Bot API token as @BotFather hands it out: the bot's number, a colon, the secret.
TELEGRAM_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CANBO_", env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./canbo.db"
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    timezone: str = "Asia/Ho_Chi_Minh"
    locale: str = "vi"
    # a pinned profile; unset, the profile in force on each date applies (rules.profiles)
    standards_profile: str | None = None
    standards_override: str | None = None
    telegram_token: SecretStr | None = None
    telegram_bot_username: str | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_rate: float = 30.0
    zalo_token: SecretStr | None = None
    zalo_api_url: str = "https://bot-api.zaloplatforms.com/bot"
    zalo_webhook_secret: SecretStr | None = None
    zalo_webhook_url: str | None = None
    zalo_rate: float = 10.0  # sends a second; Zalo documents none (assumption, docs/ZALO.md)
    zalo_idle_codes: frozenset[int] = frozenset({408, 504})  # getUpdates: "nothing yet"
    zalo_blocked_codes: frozenset[int] = frozenset({403})  # a send: the user blocked the bot
    # ZNS (docs/ZALO.md): template messages to the roster's phone numbers through the OA API
    zns_app_id: str | None = None  # the Zalo app linked to the Official Account
    zns_secret_key: SecretStr | None = None  # that app's secret key
    zns_refresh_token: SecretStr | None = None  # the first one; then rotated in the database
    zns_api_url: str = "https://business.openapi.zalo.me"
    zns_oauth_url: str = "https://oauth.zaloapp.com/v4/oa/access_token"
    zns_templates: dict[str, str] = {}  # reminder kind -> approved template id
    zns_development: bool = False  # test sends: to the OA's administrators only, free
    public_url: str | None = None  # how Zalo reaches us to fetch pictures; https: Secure cookies
    trusted_proxies: str = ""  # CIDRs of our reverse proxies: X-Forwarded-For only from them
    secret_key: SecretStr | None = None  # web chat cookies; generated if unset
    dispatch_concurrency: int = 4  # messages in flight; more only for paid broadcast rates
    dispatch_standby_poll: float = 15.0  # seconds between a standby worker's tries for the lock
    # seconds a worker holds an update it stored before another may answer it (bot/intake.py)
    inbox_lease: float = 60.0
    quiet_hours: str = "21:00-07:00"
    chat_failing_days: int = 3  # a chat failing this long yields to the official's other chats
    link_code_days: int = 7
    log_format: Literal["text", "json"] = "text"
    metrics_port: int | None = None  # /metrics on a port of its own; unset: not served
    metrics_host: str = "127.0.0.1"
    metrics_token: SecretStr | None = None  # if set, /metrics wants "Authorization: Bearer …"
    # Retention (docs/SECURITY.md; `canbo purge` removes what is older)
    retention_chat_days: int = 90  # unlinked chats, unfinished dialogues, link codes, wrong codes
    retention_sent_days: int = 365  # the text of messages sent and of finished announcements
    retention_audit_days: int = 1825  # the audit log: a five-year term of office
    retention_evidence_days: int = 90  # certificate files officials sent, once decided

    @field_validator("standards_profile", "standards_override")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in ("vi", "en"):
            raise ValueError("CANBO_LOCALE must be vi or en")
        return value

    @field_validator("telegram_token")
    @classmethod
    def _telegram_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or TELEGRAM_TOKEN.fullmatch(value.get_secret_value()):
            return value
        raise ValueError(
            N_(
                "this is not a Telegram bot token (digits, a colon, then letters, digits, _ "
                "or -, with no quotes or spaces): copy it again from @BotFather"
            )
        )

    @field_validator("zalo_token")
    @classmethod
    def _zalo_token(cls, value: SecretStr | None) -> SecretStr | None:
        raw = value.get_secret_value() if value is not None else None
        if raw is None or (raw and not re.search(r"[\s\"']", raw)):
            return value
        raise ValueError(
            N_(
                "this is not a Zalo bot token (it has quotes or spaces, or is empty): copy it "
                "again from the Zalo Bot Manager"
            )
        )

    @field_validator("zalo_webhook_url")
    @classmethod
    def _zalo_webhook_url(cls, value: str | None) -> str | None:
        """setWebhook takes an https:// URL; plain http:// only to this machine (tests)."""
        if value is None or not value.strip():
            return None
        parsed = urlsplit(value.strip())
        loopback = parsed.scheme == "http" and parsed.hostname in LOOPBACK_HOSTS
        if parsed.netloc and (parsed.scheme == "https" or loopback):
            return value.strip()
        raise ValueError(N_("Zalo accepts only an https:// webhook address"))

    @field_validator("zalo_webhook_secret")
    @classmethod
    def _zalo_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        """setWebhook's secret_token is 8 to 256 characters (Zalo Bot Platform, setWebhook)."""
        if value is None or 8 <= len(value.get_secret_value()) <= 256:
            return value
        raise ValueError(N_("the Zalo webhook secret must be 8 to 256 characters long"))

    @field_validator(
        "zalo_rate",
        "chat_failing_days",
        "dispatch_concurrency",
        "dispatch_standby_poll",
        "inbox_lease",
        "retention_chat_days",
        "retention_sent_days",
        "retention_audit_days",
        "retention_evidence_days",
    )
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("must be greater than 0")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_proxies(cls, value: str) -> str:
        TrustedProxies.parse(value)
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _valid_window(cls, value: str) -> str:
        QuietWindow.parse(value)
        return value

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def proxies(self) -> TrustedProxies:
        return TrustedProxies.parse(self.trusted_proxies)

    @property
    def messengers(self) -> frozenset[Channel]:
        """The messengers set up to push, each given its token (the reach report counts them)."""
        tokens = ((Channel.TELEGRAM, self.telegram_token), (Channel.ZALO, self.zalo_token))
        return frozenset(channel for channel, token in tokens if token is not None)

    @property
    def zns_ready(self) -> bool:
        """ZNS is set up: the OA's app id and secret key are both given."""
        return self.zns_app_id is not None and self.zns_secret_key is not None

    @property
    def https(self) -> bool:
        """Served to the public over https (CANBO_PUBLIC_URL): cookies only travel encrypted."""
        return (self.public_url or "").lower().startswith("https://")
