"""The words around every scenario: how customers open, nudge and thank, how agents greet,
empathise and sign off, and the internal notes they leave."""

from __future__ import annotations

# --- the customer's side ----------------------------------------------------------------------

MOOD_OPENINGS: dict[str, tuple[str, ...]] = {
    "angry": ("I'm honestly fed up.", "This is completely unacceptable.",
              "I am really angry right now.", "I can't believe I have to write about this."),
    "anxious": ("I'm really worried about this.", "Sorry to bother you, but I'm a bit panicked.",
                "I hope you can help, I'm quite stressed about this."),
    "confused": ("Sorry if this is a silly question.", "I'm a bit lost here.",
                 "Maybe I'm missing something obvious here."),
    "disappointed": ("I'm really disappointed.", "I expected better from you, to be honest.",
                     "This has taken the shine off an otherwise great product."),
    "happy": ("Hi! First of all, I love your lamps.", "Hello! Big fan of Northlight here.",
              "Hope you're having a good day!"),
    "neutral": ("",),
}
MOOD_CLOSINGS: dict[str, tuple[str, ...]] = {
    "angry": ("Fix it today, please.", "I expect a proper answer, not a template.",
              "If this isn't sorted by tomorrow, I'm done with Northlight.",
              "Don't make me regret recommending you to my friends."),
    "anxious": ("Please let me know as soon as you can.",
                "Sorry for the long message, I'm just a bit stressed.",
                "Can this be fixed quickly? I'm quite nervous about it."),
    "confused": ("Am I doing something wrong?", "I'm not very technical, so a simple "
                 "explanation would really help.", "Thanks for your patience with me!"),
    "disappointed": ("I've been your customer for {years} years and expected better.",
                     "Honestly, a bit let down.",
                     "This isn't the experience I'm used to from you."),
    "happy": ("Thanks in advance, you've always been great!", "No rush at all. Keep up the good "
              "work!", "Thanks for making such a lovely product."),
    "neutral": ("Thanks.", "Let me know if you need anything else from me.",
                "Thanks in advance."),
}
CUSTOMER_GREETINGS: dict[str, tuple[str, ...]] = {
    "angry": ("Hello.", ""),
    "anxious": ("Hi,", "Hello,", "Hi there,"),
    "confused": ("Hi,", "Hello,", "Hi there,"),
    "disappointed": ("Hello,", "Dear support team,"),
    "happy": ("Hi there!", "Hello!", "Hi team,"),
    "neutral": ("Hi,", "Hello,", "Dear support team,", "Good morning,"),
}
CUSTOMER_SIGNOFFS: dict[str, tuple[str, ...]] = {
    "angry": ("{full_name}", "{first_name}"),
    "anxious": ("Thank you so much,\n{first_name}", "Thanks,\n{first_name}"),
    "confused": ("Thanks,\n{first_name}", "Many thanks,\n{first_name}"),
    "disappointed": ("Regards,\n{full_name}", "{full_name}"),
    "happy": ("Cheers,\n{first_name}", "Best wishes,\n{first_name}"),
    "neutral": ("Thanks,\n{first_name}", "Best regards,\n{full_name}", "Kind regards,\n"
                "{full_name}"),
}
SORRY_FOR_MY_ENGLISH = ("Sorry for my English.", "(English is not my first language, sorry "
                        "for any mistakes.)")

SECOND_NUDGES = (
    "I wrote to you {first_when} about this and haven't heard anything back. Could someone "
    "please reply?",
    "Following up on my message below. Still no answer. Is anyone there?",
    "Hello? I'm still waiting for a reply about this.",
    "Just checking my message reached you, since I haven't had a reply yet.",
)
THIRD_NUDGES = (
    "This is the third time I'm writing about this. Three messages, zero replies. What does it "
    "take to get a human to answer?",
    "This is the third time I'm writing. I'm starting to think nobody reads this inbox.",
    "Third message, and still no reply to what I sent {first_when}. I've been patient, but this "
    "is getting ridiculous.",
    "I'm writing for the third time now. Please, I just need someone to tell me what's going "
    "on.",
)
CHASES = (
    "Any news on this?",
    "Hi again, is there an update? It's been a few days.",
    "Just checking in. Is there anything I can do to speed this up?",
    "Still waiting on this one. Could you give me an idea of when it will be sorted?",
)
ANNOYED_AFTER_CURT = (
    "That doesn't answer my question at all. Did you read what I wrote?",
    "With respect, a one-line reply isn't helpful. I explained the whole situation above.",
    "Please don't send me a template. I need an actual person to look at my account.",
    "OK, but that's not what I asked.",
)
THANKS = (
    "That did it, thank you so much {agent}!",
    "Perfect, all sorted. Thanks for the quick help.",
    "It works now. Really appreciate it!",
    "Got it, thanks.",
    "Thanks {agent}, you've been brilliant.",
    "OK, that worked. Thanks.",
)
STILL_BROKEN = (
    "Sorry, it's happening again. Same thing as before.",
    "I thought this was fixed, but it's back. Can you have another look?",
    "Unfortunately that didn't fix it. Still the same problem.",
)
AFTER_CLOSED = (
    "Hi again, replying to my old ticket because it's the same problem: it came back this "
    "week.",
    "Sorry to dig this up again, but the issue from last time is back.",
)

# --- the agent's side -------------------------------------------------------------------------

AGENT_GREETINGS: dict[str, tuple[str, ...]] = {
    "warm": ("Hi {name},", "Hello {name},", "Hi {name}, thanks for writing in."),
    "curt": ("Hello,", "Hi,", ""),
    "robotic": ("Dear Customer,", "Dear {full_name},"),
}
EMPATHY: dict[str, tuple[str, ...]] = {
    "angry": ("I'm sorry. I'd be frustrated too, and you shouldn't have to chase us.",
              "You're right to be annoyed, and I'm sorry. Let's get this fixed."),
    "anxious": ("I can tell this is stressful, so let me go straight to what happens next.",
                "Please don't worry: this is fixable, and I'll stay with it until it is."),
    "confused": ("Not a silly question at all, this part isn't obvious.",
                 "Happy to walk you through it."),
    "disappointed": ("I'm sorry we let you down, especially after all this time with us.",
                     "Thank you for sticking with us, and I'm sorry this wasn't the experience "
                     "you deserve."),
    "happy": ("Thanks so much for the kind words, they made my day.",
              "Lovely to hear from you!"),
    "neutral": ("Happy to help with this.", "Let's get this sorted.", ""),
}
SORRY_FOR_THE_WAIT = (
    "I'm sorry you had to write more than once; that's not how it should be.",
    "Apologies for the slow reply, you waited far too long.",
)
AGENT_SIGNOFFS: dict[str, tuple[str, ...]] = {
    "warm": ("Best,\n{agent}", "Warm regards,\n{agent}", "Talk soon,\n{agent}",
             "Take care,\n{agent}"),
    "curt": ("{agent}", "Regards", "- {agent}"),
    "robotic": ("Kind regards,\nCustomer Support\nNorthlight Home",
                "Best regards,\nThe Support Team\n\nPlease do not reply to this message with "
                "unrelated issues."),
}
ROBOTIC_PREFIXES = (
    "Thank you for contacting Northlight Home Support. Your request has been received and is "
    "being processed.",
    "We acknowledge receipt of your enquiry regarding \"{subject}\".",
)
ROBOTIC_SUFFIXES = (
    "For further information please consult our Help Centre.",
    "We appreciate your patience and your business.",
)
SOLVED_AFTER_THANKS = (
    "You're welcome, {name}! I'll mark this as solved; just reply if anything comes up.",
    "Glad it's working. Closing this one for now.",
    "Great news. Have a lovely week!",
)
DUPLICATE_REPLY = (
    "Hi {name}, your message reached us twice, so I'll close this copy and we'll carry on in "
    "your other ticket.",
)

# --- internal notes ---------------------------------------------------------------------------

GENERIC_NOTES = (
    "Customer is upset. Please keep replies personal, no macros.",
    "{lead}, can we approve a {credit} goodwill credit here?",
    "Checked the account history: customer for {years} years, no previous complaints.",
    "Called the customer, left a voicemail.",
    "Handing this over, I'm off tomorrow.",
)
CURT_COACHING_NOTES = (
    "{agent}, can you give this one a proper answer? The customer explained it well.",
    "Let's not send one-liners to upset customers. I'll take the next reply if you like.",
)
REASSIGN_NOTES = (
    "Moving this to {agent}, who handled a similar case last week.",
    "Reassigning to {agent} to follow it through.",
)
TRIAGE_NOTES = (
    "Raising the priority: this one needs an answer today.",
    "Not as urgent as it looked, lowering the priority.",
)
DUPLICATE_NOTES = ("Duplicate of the customer's other ticket. Closing this one.",)
PHONE_NOTES = ("Logged from a phone call; the customer prefers a call back.",)
REPEAT_NOTES = (
    "Customer wrote several times before we answered. Let's make sure they get a proper reply.",
)
