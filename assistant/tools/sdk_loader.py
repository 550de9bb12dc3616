"""The Anthropic SDK, loaded off the request path. Importing it takes seconds of CPU (thousands
of pydantic models), so a service with an API key starts loading it when it starts, and a turn
that needs it waits only within its own time budget: the deterministic parser answers a turn
that comes before the SDK is ready, instead of keeping the user waiting for an import."""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from types import ModuleType

log = logging.getLogger(__name__)


class SdkLoader:
    """Imports a module once, on a thread of its own, on the first `start()`."""

    def __init__(self, load: Callable[[], ModuleType]) -> None:
        self._load = load
        self._loaded = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._module: ModuleType | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="sdk-loader", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        try:
            self._module = self._load()
        except BaseException as exc:  # kept, and raised to whoever asks for the module
            log.warning("loading the SDK failed", exc_info=True)
            self._error = exc
        finally:
            self._loaded.set()

    def get(self, timeout: float) -> ModuleType | None:
        """The module, once loaded; None if it is not ready within `timeout` seconds (it goes
        on loading for the next caller). Raises what the import raised."""
        self.start()
        if not self._loaded.wait(max(0.0, timeout)):
            return None
        if self._error is not None:
            raise self._error
        return self._module


def _import_anthropic() -> ModuleType:
    return importlib.import_module("anthropic")


#: the process's one loader of the Anthropic SDK
ANTHROPIC_SDK = SdkLoader(_import_anthropic)
