"""The REST API (`/api/v1/`, django-ninja) and webhooks: what an agent does, for other systems.

Tokens act as their agent, so every read is narrowed to the agent's teams (and the token's own
team, if it has one) and every write calls the same desk or care action the console calls. See
the README's Architecture section for the whole picture.
"""
