"""The one typed schema for every environment variable Forecourt reads.

Django settings (forecourt/settings.py) read only from here. One module per area declares its
variables and rules; root.py composes them into `ForecourtConfig`, whose single validation pass
collects every problem at once so an operator fixes the whole environment in one go.
"""

from forecourt.core.config.base import DEVELOPMENT_SECRET_KEY, Environment, LogLevel
from forecourt.core.config.rate_limits import RATE_PERIODS, Rate, parse_rate
from forecourt.core.config.root import (
    ConfigError,
    ForecourtConfig,
    get_config,
    load_config,
    mask_url,
    render_env_example,
    variable_name,
)
from forecourt.core.config.security import parse_field_keys

__all__ = [
    "DEVELOPMENT_SECRET_KEY",
    "RATE_PERIODS",
    "ConfigError",
    "Environment",
    "ForecourtConfig",
    "LogLevel",
    "Rate",
    "get_config",
    "load_config",
    "mask_url",
    "parse_field_keys",
    "parse_rate",
    "render_env_example",
    "variable_name",
]
