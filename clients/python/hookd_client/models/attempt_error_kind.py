from enum import StrEnum


class AttemptErrorKind(StrEnum):
    AUTH = "auth"
    CANCELLED = "cancelled"
    CONNECTION = "connection"
    DNS = "dns"
    INVALID_URL = "invalid_url"
    REFUSED = "refused"
    REJECTED = "rejected"
    SSRF = "ssrf"
    TIMEOUT = "timeout"
    TLS = "tls"
    TRANSFORMATION = "transformation"

    def __str__(self) -> str:
        return str(self.value)
