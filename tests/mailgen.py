"""Moved to mailintake.mailgen (the benchmark needs it too); kept so test modules may import it from here."""

from mailintake.mailgen import *  # noqa: F401,F403
from mailintake.mailgen import SAMPLES, generate_messages  # noqa: F401
