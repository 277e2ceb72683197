from enum import StrEnum


class Trigger(StrEnum):
    AUTO = "auto"
    MANUAL = "manual"
    RETRY = "retry"

    def __str__(self) -> str:
        return str(self.value)
