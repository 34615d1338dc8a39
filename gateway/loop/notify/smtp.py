"""E-mail channels: one SMTP session per attempt."""

import time
from datetime import datetime

import aiosmtplib

from gateway.domain.channel_config import EmailConfig
from gateway.domain.channels import Channel
from gateway.domain.notifications import DeliveryOutcome, email_message
from gateway.domain.status import Flip

__all__ = ["EmailSender"]


class EmailSender:
    """Usage: ``await EmailSender(timeout=10).send(channel, flip, now)``"""

    def __init__(self, *, timeout: float) -> None:
        self._timeout = timeout

    async def send(self, channel: Channel, flip: Flip, now: datetime) -> DeliveryOutcome:
        config = EmailConfig.from_config(channel.config)
        message = email_message(config, flip, now)
        started = time.perf_counter()
        try:
            await aiosmtplib.send(
                message,
                hostname=config.smtp_host,
                port=config.smtp_port,
                username=config.smtp_username,
                password=config.smtp_password,
                use_tls=config.smtp_tls,
                start_tls=config.smtp_starttls,
                timeout=self._timeout,
            )
        except aiosmtplib.SMTPTimeoutError:
            return DeliveryOutcome(False, "timed out", _ms_since(started))
        except aiosmtplib.SMTPResponseException as exc:
            return DeliveryOutcome(
                False, f"SMTP error {exc.code}: {exc.message}"[:300], _ms_since(started)
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            return DeliveryOutcome(
                False, f"SMTP connection failed ({type(exc).__name__})", _ms_since(started)
            )
        return DeliveryOutcome(True, "", _ms_since(started))


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
