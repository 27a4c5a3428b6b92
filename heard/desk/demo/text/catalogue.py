"""What Northlight Home sells: products with prices, app plans, coupons, and the phones and
rooms its lamps end up in."""

from __future__ import annotations

PRODUCTS: tuple[tuple[str, float], ...] = (
    ("Aurora desk lamp", 89), ("Fjord floor lamp", 189), ("Halo smart bulb 4-pack", 49),
    ("Ember bedside lamp", 69), ("Loop LED strip (5 m)", 39), ("Nook hub", 59),
    ("Drift motion sensor", 29), ("Pebble speaker lamp", 79), ("Lantern outdoor light", 119),
    ("Dimmer remote", 25),
)
PLANS: tuple[tuple[str, float], ...] = (("Plus", 4.99), ("Family", 8.99), ("Pro", 12.99))
COUPONS = ("SPRING20", "WELCOME10", "STUDENT15", "FRIENDS25", "COSYNIGHTS")
DEVICES = ("iPhone 13", "iPhone 15 Pro", "Pixel 8", "Galaxy S23", "iPad Air", "OnePlus 11",
           "Galaxy A54", "Pixel 7a")
ROOMS = ("living room", "bedroom", "kitchen", "hallway", "kids' room", "home office")
