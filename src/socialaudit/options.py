"""An option of a check or a lint rule: its default, why the default is what it is, and how a
value from socialaudit.toml is validated. Checks and the draft linter share it, and neither
package imports the other for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Option:
    """One option of a check, with its default and why the default is what it is."""

    name: str
    default: Any
    reason: str
    type: type = float
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Any, ...] | None = None
    # Reported among a finding's thresholds (`Check.finding` fills them in); by default the
    # options that draw a verdict line: the numbers named warn_* or fail_*.
    threshold: bool | None = None

    @property
    def is_threshold(self) -> bool:
        if self.threshold is not None:
            return self.threshold
        return self.type is not bool and self.name.startswith(("warn_", "fail_"))

    def validate(self, value: Any) -> Any:
        """Return the value coerced to the option's type, or raise ValueError saying why."""
        if self.type is bool:
            if not isinstance(value, bool):
                raise ValueError(f"expected true or false, got {value!r}")
            return value
        if self.type in (int, float):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"expected a number, got {value!r}")
            if self.type is int and not float(value).is_integer():
                raise ValueError(f"expected a whole number, got {value!r}")
            value = self.type(value)
            if self.minimum is not None and value < self.minimum:
                raise ValueError(f"expected at least {self.minimum}, got {value}")
            if self.maximum is not None and value > self.maximum:
                raise ValueError(f"expected at most {self.maximum}, got {value}")
        elif self.type is str:
            if not isinstance(value, str):
                raise ValueError(f"expected a string, got {value!r}")
        elif self.type is list and not isinstance(value, list):
            raise ValueError(f"expected a list, got {value!r}")
        if self.choices is not None and value not in self.choices:
            raise ValueError(f"expected one of {', '.join(map(str, self.choices))}, got {value!r}")
        return value
