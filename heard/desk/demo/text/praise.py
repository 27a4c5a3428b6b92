"""Thank-you notes and friendly questions, for every team: the tickets that are not problems."""

from __future__ import annotations

from heard.desk.demo.text.scenario import BILLING, ORDERS, TECH, Scenario

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "thanks_agent", ORDERS,
        subjects=("Thank you!", "Just wanted to say thanks", "Great service from {colleague}"),
        openers=(
            "Nothing to report, I just wanted to say thank you to {colleague}, who helped me "
            "last week with my {product}. Patient, kind, and actually fixed it. Please pass it "
            "on!",
            "I rarely write to companies to say something nice, but your team sorted out my "
            "order in a day. Thank you!",
        ),
        asks=(), details=(),
        fixes=(
            "What a lovely message, thank you! I've passed it on to {colleague}, and it's made "
            "the whole team's day.",
            "Thank you so much for taking the time to write. I've shared this with the team. "
            "Enjoy the lights!",
        ),
        curt=("Thanks for your feedback.",),
        updates=(),
        notes=("Kudos for {colleague}. Add it to the Friday shout-outs.",),
        moods=("happy",), priorities=("low",), praise=True,
    ),
    Scenario(
        "thanks_billing", BILLING,
        subjects=("Thanks for the refund", "Thank you for sorting my invoice"),
        openers=(
            "Just a quick note to say the refund arrived today. Thank you for handling it so "
            "quickly, and for being so friendly about it.",
            "The new invoice was exactly what our accountant needed. Thanks for going the extra "
            "mile!",
        ),
        asks=(), details=(),
        fixes=("You're very welcome, {name}! Thanks for letting us know, it's great to hear.",
               "Thank you for the kind words. Happy to help any time."),
        curt=("Noted, thanks.",),
        updates=(),
        notes=("Nice feedback, share in the team channel.",),
        moods=("happy",), priorities=("low",), praise=True,
    ),
    Scenario(
        "voice_question", TECH,
        subjects=("Love the {product}, one question", "Happy customer with a small question",
                  "Does it work with voice assistants?"),
        openers=(
            "The {product} is the nicest lamp I've owned. One question: can I control it by "
            "voice with my smart speaker?",
            "We're loving our new lamps! Is there a way to make them slowly fade on in the "
            "morning, like a sunrise?",
        ),
        asks=("Which voice assistant do you use? The setup is a little different for each.",),
        details=("The one from Google.",),
        fixes=(
            "Thank you! Yes: in the app go to Settings > Voice assistants, pick yours and follow "
            "the three steps. Then 'Hey Google, dim the living room to 30%' just works.",
            "So glad you like them! Create a schedule and pick 'Sunrise' as the effect; it fades "
            "in over 30 minutes before your wake-up time.",
        ),
        curt=("See the Help Centre.", "Yes, it's supported."),
        updates=("Let me check with the product team which assistants your hub version "
                 "supports.",),
        notes=("Happy customer, candidate for a review request.",),
        moods=("happy",), priorities=("low",),
    ),
    Scenario(
        "holiday_mode", TECH,
        subjects=("Feature request: holiday mode", "Random lights while we're away?",
                  "Vacation mode?"),
        openers=(
            "We're going away for two weeks. Is there a mode that switches the lights on and off "
            "randomly so the house looks lived in?",
            "Suggestion: a 'holiday mode' that randomises the evening lights. Our old system had "
            "it and we miss it.",
        ),
        asks=("How long will you be away? For short trips the 'Away' scene covers it; for "
              "longer ones I'd set it up differently.",),
        details=("Two weeks, from {due_date}.",),
        fixes=(
            "Yes, it's called 'Presence simulation': Home > Automations > Presence simulation. "
            "It replays your usual patterns with a little randomness. Have a great trip!",
            "We don't have a random mode yet, but I've added your vote to the request. Until "
            "then, two schedules with slightly different times on alternate days come close.",
        ),
        curt=("Not available.", "Feature request noted."),
        updates=("I've asked our product team whether presence simulation is coming to your "
                 "version.",),
        notes=("Feature request: holiday/presence mode. +1.",),
        moods=("neutral", "happy", "disappointed"),
        priorities=("low",),
    ),
)
