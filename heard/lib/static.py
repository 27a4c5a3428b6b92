"""CSS and JavaScript from any WSGI server (gunicorn, `heard serve`), through WhiteNoise."""

from __future__ import annotations

from pathlib import Path

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, serving the collected and compressed files once `heard collectstatic` has
    filled STATIC_ROOT (production), and the files where they lie before that (a checkout:
    WHITENOISE_USE_FINDERS is then on), without a warning about the folder not made yet."""

    def add_files(self, root: str, prefix: str | None = None) -> None:
        if Path(root).is_dir():
            super().add_files(root, prefix)
