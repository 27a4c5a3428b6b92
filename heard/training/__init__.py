"""The training studio: practice with customers who react, scored by the engine's coach.

Cases (`cases.py`, shipped under data/cases/), written-tone exercises, role-plays with a
simulated customer (`simulation.py`, one table in data/transitions.toml), live role-plays between
two people, assignments a lead gives or Heard suggests, progress per dimension, and the
anonymiser that turns a solved ticket into a case. Built on the engine's public API only.
"""
