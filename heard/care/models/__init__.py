"""Care beyond the ticket, one module per thing kept (Django finds them through this package)."""

from heard.care.models.survey import Rating, Survey

__all__ = ["Rating", "Survey"]
