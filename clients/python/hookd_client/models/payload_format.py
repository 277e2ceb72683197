from enum import StrEnum


class PayloadFormat(StrEnum):
    ENVELOPE = "envelope"
    RAW = "raw"
    THIN = "thin"

    def __str__(self) -> str:
        return str(self.value)
