"""The words of the demo data: people's names and the support conversations.

Everything here was written for Heard's demo company, Northlight Home, which sells smart lamps, a
hub and an app with a paid plan. Templates use str.format slots ({name}, {order}, {amount}, ...)
that heard.desk.demo fills per ticket; `all_templates()` lists every template so a test can check
each slot is known.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields

MOODS = ("angry", "anxious", "confused", "disappointed", "happy", "neutral")
PROBLEM_MOODS = ("angry", "anxious", "confused", "disappointed", "neutral")


@dataclass(frozen=True)
class Scenario:
    """One support situation: what the customer writes and what agents answer."""

    key: str
    team: str  # the demo team's slug
    subjects: tuple[str, ...]
    openers: tuple[str, ...]  # the problem, told plainly; the mood is added around it
    asks: tuple[str, ...]  # an agent asks for what they need
    details: tuple[str, ...]  # the customer's answer to that
    fixes: tuple[str, ...]  # the agent's resolution
    curt: tuple[str, ...]  # a blunt answer, for the agents who write those
    updates: tuple[str, ...]  # on it, not done yet
    notes: tuple[str, ...]  # internal notes
    moods: tuple[str, ...] = PROBLEM_MOODS
    priorities: tuple[str, ...] = ("normal", "normal", "high", "low")
    praise: bool = False  # a thank-you rather than a problem


@dataclass(frozen=True)
class NamePool:
    """Names from one part of the world, with the language, zones and money they come with."""

    language: str
    zones: tuple[str, ...]
    currency: str
    country: str  # VAT prefix
    cities: tuple[str, ...]
    carriers: tuple[str, ...]
    first: tuple[str, ...] = ()
    last: tuple[str, ...] = ()
    full: tuple[tuple[str, str], ...] = ()  # (full name, preferred name) for family-name-first
    weight: int = 1
    month_first: bool = False


BILLING, TECH, ORDERS = "billing", "technical-support", "orders-delivery"

SCENARIOS: tuple[Scenario, ...] = (
    # --- billing ----------------------------------------------------------------------------
    Scenario(
        "double_charge", BILLING,
        subjects=("Charged twice for my {plan} subscription", "Double charge on {date}",
                  "Why did you take {amount} twice?"),
        openers=(
            "I was charged {amount} twice on {date} for my {plan} subscription. Both payments "
            "show on my card ending {last4}, and I only have one account.",
            "My bank statement shows two identical payments of {amount} to Northlight Home on "
            "{date}. I definitely only subscribed once. Can you refund the duplicate?",
        ),
        asks=(
            "Could you send me a screenshot of the two charges from your bank statement? You can "
            "hide everything except the date, amount and description. That lets me match them to "
            "our payment records.",
            "Can you confirm the email address the second receipt went to? I can only see one "
            "payment on this account, so I want to check whether a second account exists.",
        ),
        details=(
            "Here you go. Both lines are from {date}, {amount} each, description "
            "'NORTHLIGHT*PLUS', card ending {last4}.",
            "The second receipt went to my old work address. I never set up a second account on "
            "purpose, though.",
        ),
        fixes=(
            "I found it: the renewal went through twice because of a timeout on our side. I've "
            "refunded the duplicate {amount} to your card ending {last4}; it usually shows up "
            "within 3-5 business days. I've also added a free month of {plan} for the trouble.",
            "You were right, the payment was captured twice. The duplicate {amount} is refunded "
            "today, though your bank may take a few days to show it. Sorry for the scare.",
        ),
        curt=("Duplicate payment refunded. Allow 5-10 business days.",
              "Refund issued for the second charge."),
        updates=(
            "I can see both payments and I've asked our payments team to reverse the duplicate. "
            "I'll confirm as soon as the refund goes through, normally within a day.",
        ),
        notes=(
            "Payment provider shows two captures of {amount} on {date}, 4 seconds apart. "
            "Refunding one.",
            "Another double capture from the renewal job, third this week. Filed as {bug}.",
        ),
        priorities=("normal", "high", "high"),
    ),
    Scenario(
        "refund_missing", BILLING,
        subjects=("Refund for order #{order} still not received", "Where is my refund?",
                  "Refund promised {days} days ago"),
        openers=(
            "You confirmed a refund of {amount} for order #{order} {days} days ago, but nothing "
            "has reached my account. The email said 5 business days.",
            "I returned the {product} weeks ago and got an email saying the refund of {amount} "
            "was on its way. It still hasn't arrived. What is going on?",
        ),
        asks=(
            "Could you tell me which payment method you used for order #{order}? Refunds to "
            "PayPal and to cards take different routes, and I want to trace the right one.",
        ),
        details=("I paid by card, ending {last4}. The refund email came on {date}.",),
        fixes=(
            "I traced it: the refund of {amount} left us on {date} with reference RF-{invoice}. "
            "Banks sometimes hold refunds for a few extra days; if you give your bank that "
            "reference, they can find it straight away. I'll check back on Friday to make sure "
            "it landed.",
            "The refund had got stuck because the original card had expired. I've re-issued "
            "{amount} to your current card ending {last4}; you should see it within 3 business "
            "days.",
        ),
        curt=("Refund was processed on {date}. Contact your bank.",
              "Refunds take up to 10 business days. Please wait."),
        updates=(
            "I can see the refund was approved but not sent yet. I've raised it with our finance "
            "team and asked them to push it through today.",
        ),
        notes=(
            "Refund stuck in 'pending' at the payment provider: expired card. Re-issue by hand.",
            "Finance says refunds go out in batches on Tuesdays and Thursdays only. Worth "
            "telling customers up front.",
        ),
    ),
    Scenario(
        "company_invoice", BILLING,
        subjects=("Invoice with our VAT number", "Need a company invoice for #{order}",
                  "VAT ID missing on invoice"),
        openers=(
            "Could you reissue the invoice for order #{order} with our company details? "
            "{company}, VAT ID {vat}. Our accountant can't book it without the VAT number.",
            "The invoice for my {plan} subscription only shows my name. I need it addressed to "
            "{company} with VAT ID {vat} for our year-end accounts.",
        ),
        asks=(
            "Happy to. Could you send me the full registered address of {company} as it should "
            "appear on the invoice?",
        ),
        details=("It's {company}, Main Street 12, {postcode} {city}. VAT ID {vat}. Thanks!",),
        fixes=(
            "Done: the corrected invoice INV-{invoice} with {company} and VAT ID {vat} is "
            "attached, and I've saved the details on your account so future invoices include "
            "them automatically.",
            "I've reissued the invoice as INV-{invoice} with your company name and VAT ID. "
            "Because the VAT number checks out, the reverse-charge note is on it too.",
        ),
        curt=("Invoice reissued as INV-{invoice}.", "Updated invoice attached."),
        updates=(
            "I've asked our finance team to reissue it, since company invoices need a manual "
            "check of the VAT ID. It should be with you by tomorrow.",
        ),
        notes=("VAT ID {vat} checked in VIES: valid. Reverse charge applies.",
               "Customer needs this before month end for their books."),
        moods=("neutral", "confused", "anxious", "neutral"),
        priorities=("low", "normal"),
    ),
    Scenario(
        "card_declined", BILLING,
        subjects=("Card declined but it works everywhere else", "Payment failed for my {plan} "
                  "renewal", "Can't update my payment card"),
        openers=(
            "My {plan} renewal failed with 'card declined', but the same card (ending {last4}) "
            "works fine in every other shop. I don't want to lose my scenes and schedules.",
            "I keep getting emails that my payment failed. I updated my card twice and it still "
            "says declined. Will my lights stop working?",
        ),
        asks=(
            "Could you tell me the exact error you see when you update the card, and whether "
            "your bank asked you for a confirmation code during the attempt?",
        ),
        details=("It says 'Your card was declined (code 51)'. No code from my bank at all, the "
                 "window just closes.",),
        fixes=(
            "Thanks, that explains it: the bank's security check never opened inside the app, "
            "so the bank declined. If you update the card on the website instead (Account > "
            "Billing), the check works. I've paused the reminder emails for a week, and nothing "
            "will be switched off meanwhile.",
            "Your bank flagged the payment as unusual because we bill from our Irish company. "
            "I've retried the charge and it went through, so you're all set until next month, "
            "and your scenes are untouched.",
        ),
        curt=("Please contact your bank. The decline comes from them.", "Try a different card."),
        updates=(
            "I can see three failed attempts. I've paused the account suspension while we look "
            "into it, so nothing will stop working.",
        ),
        notes=("In-app card check webview broken again ({bug}). The website works.",
               "Decline code 51 from the processor, customer insists the card is fine. "
               "Be tactful."),
        moods=("anxious", "confused", "angry", "neutral"),
    ),
    Scenario(
        "price_increase", BILLING,
        subjects=("Price went up without warning", "Why is my subscription now {amount}?",
                  "Unannounced price increase"),
        openers=(
            "I just noticed my {plan} subscription went from {old_amount} to {amount} a month. "
            "I don't remember agreeing to that, and I didn't get any warning.",
            "My latest invoice is {amount} instead of {old_amount}. Was there a price change? "
            "Nobody told me.",
        ),
        asks=(
            "Could you check whether the email address on your account is still the one you "
            "use? We sent the notice on {date}, and I'd like to see whether it bounced.",
        ),
        details=("That's my old address, I don't use it anymore. I'll update it, but that "
                 "doesn't change the fact that I didn't know.",),
        fixes=(
            "You're right that this should have been clearer. The {plan} price changed on {date} "
            "and the notice went to an address that no longer works. I've refunded the "
            "difference for this month and kept your old price for the next three months, so "
            "you have time to decide.",
            "The new price applies from {date}, and the notice went out 30 days before. As it "
            "clearly didn't reach you, I've added {credit} credit to your account. The annual "
            "plan works out cheaper if you'd like to switch.",
        ),
        curt=("Prices changed on {date} as announced by email.",
              "The new price is {amount}. See our pricing page."),
        updates=(
            "I've asked our billing lead whether we can keep your old price for a while. I'll "
            "come back to you tomorrow.",
        ),
        notes=("The notice email hard-bounced. Eligible for the 3-month price lock.",
               "{lead}, OK to give {credit} goodwill on price-change complaints?"),
        moods=("angry", "disappointed", "confused"),
    ),
    Scenario(
        "cancel_plan", BILLING,
        subjects=("How do I cancel?", "Cancel my {plan} subscription",
                  "Please cancel, I can't find the button"),
        openers=(
            "I'd like to cancel my {plan} subscription. I've looked everywhere in the app and "
            "can't find a cancel button.",
            "Please cancel my subscription before the next renewal on {due_date}. We're moving "
            "and won't be using the lamps for a while.",
        ),
        asks=(
            "Of course. Just to be safe, could you confirm the email address on the account you "
            "want cancelled? I see two accounts with similar names.",
        ),
        details=("It's the one this message comes from. The other one is my partner's, please "
                 "leave that alone.",),
        fixes=(
            "Done: your {plan} subscription is cancelled and won't renew on {due_date}. Your "
            "lamps keep working with the free features, and your scenes stay saved if you ever "
            "come back. For next time, it's under Account > Subscription > Cancel, right at the "
            "bottom.",
            "I've cancelled it for you. You keep {plan} until the end of the period you've paid "
            "for, and you won't be charged again. Sorry to see you go, and good luck with the "
            "move!",
        ),
        curt=("Subscription cancelled.", "Cancellation done. You can also do this in Account "
              "settings."),
        updates=(
            "I've started the cancellation. Because you're on an annual plan, our billing team "
            "has to work out the prorated refund; I'll confirm the amount tomorrow.",
        ),
        notes=("Churn reason: moving house. Offered to pause instead, declined.",
               "The cancel button sits below the fold on small phones. Third complaint this "
               "month."),
        moods=("confused", "disappointed", "angry", "neutral"),
        priorities=("normal", "low"),
    ),
    Scenario(
        "charged_after_cancel", BILLING,
        subjects=("Charged after I cancelled", "I cancelled on {date} and you still charged me",
                  "Unauthorised charge of {amount}"),
        openers=(
            "I cancelled my {plan} subscription on {date} and got a confirmation email. Today "
            "you charged me {amount} anyway. I want that money back.",
            "Why was I charged {amount}? I cancelled weeks ago, and I have the confirmation email "
            "right here.",
        ),
        asks=(
            "Could you forward me the cancellation confirmation? I can't find the cancellation "
            "on the account, and the email will show which account it went through.",
        ),
        details=("Forwarded. It's from {date}, subject 'Your subscription has been cancelled'.",),
        fixes=(
            "Thank you. That confirmation was for a second account created through your Apple "
            "ID, so the main one kept running. I've cancelled the main subscription too and "
            "refunded the {amount}. I'm sorry for the confusion; you won't be charged again.",
            "The cancellation didn't save because of a bug on our side that day. I've refunded "
            "{amount} in full and made sure the subscription is properly cancelled now.",
        ),
        curt=("Refund of {amount} issued. Subscription cancelled.",
              "Our records show no cancellation. The charge is valid."),
        updates=(
            "I've asked our payments team to refund the {amount} while I work out why the "
            "cancellation didn't go through.",
        ),
        notes=("Cancellation missing from the log on {date}, same hour as the deploy incident. "
               "Refund without question.",
               "Customer mentioned a chargeback. Let's not let it get that far."),
        moods=("angry", "disappointed", "anxious"),
        priorities=("high", "normal", "high"),
    ),
    Scenario(
        "coupon", BILLING,
        subjects=("Discount code {coupon} didn't work", "Coupon not applied to my order",
                  "Where's my {percent}% discount?"),
        openers=(
            "I used the code {coupon} at checkout for order #{order}. It said 'applied', but I "
            "was charged the full {amount}.",
            "The newsletter said {coupon} gives {percent}% off, but order #{order} was charged "
            "in full. Can you apply it after the fact?",
        ),
        asks=(
            "Could you tell me roughly what time you placed the order? {coupon} had a start "
            "time, and I want to check it was already active.",
        ),
        details=("About 9 in the evening on {date}, right after the newsletter arrived.",),
        fixes=(
            "The code was live, but it doesn't combine with the bundle price in your basket, "
            "which the checkout should have told you. I've refunded the {percent}% ({credit}) "
            "to your card anyway. Enjoy the {product}!",
            "Sorted: I've refunded {credit}, the {percent}% discount you should have had. Sorry "
            "the checkout got it wrong.",
        ),
        curt=("Codes can't be applied after purchase.",
              "The code was not valid for this product."),
        updates=("I've asked our shop team to check the code's rules. I'll let you know once "
                 "I hear back.",),
        notes=("{coupon} excludes bundles, but the checkout says 'applied' anyway. {bug}.",
               "Goodwill refund of {credit} approved."),
        moods=("confused", "disappointed", "neutral", "happy"),
        priorities=("low", "normal"),
    ),
    Scenario(
        "currency", BILLING,
        subjects=("Charged in dollars instead of my currency", "Why is my bill in a different "
                  "currency?", "Conversion fees on my subscription"),
        openers=(
            "I live in {city}, but my {plan} subscription is billed in US dollars, so my bank "
            "adds a conversion fee every month. Can you bill me in my own currency?",
            "My card statement shows a foreign transaction fee on your charge every month. Is "
            "there a way to avoid that?",
        ),
        asks=(
            "Could you tell me which country your billing address is in? The currency follows "
            "the billing address, not the delivery one.",
        ),
        details=("The billing address should be {city}. I think I used my US address when I "
                 "signed up years ago.",),
        fixes=(
            "That explains it: your billing address was still the old US one. I've updated it, "
            "so from the renewal on {due_date} you'll be billed in your local currency, with no "
            "conversion fee.",
            "I've switched your billing currency; the next invoice will be in your local "
            "currency. We can't refund bank fees, but I've added {credit} credit to cover the "
            "last couple of months.",
        ),
        curt=("The currency follows the billing address. Update it in settings.",
              "We don't control bank fees."),
        updates=("Currency changes need a new billing profile; I've asked our billing team to "
                 "set it up.",),
        notes=("Legacy US billing profile from the 2019 signup.",
               "Switching currency means re-creating the subscription. Do it right after a "
               "renewal."),
        moods=("confused", "neutral", "disappointed"),
        priorities=("low", "normal"),
    ),
    Scenario(
        "annual_switch", BILLING,
        subjects=("Switch to annual billing", "Monthly to yearly: how does it work?",
                  "Annual {plan} plan question"),
        openers=(
            "I love the {plan} plan and want to switch to yearly billing to save a bit. What "
            "happens to the month I've already paid for?",
            "If I switch from monthly to annual today, do I pay the full year on top of this "
            "month, or is it prorated?",
        ),
        asks=("Happy to help! Do you want the annual plan to start right away, or when your "
              "current month ends?",),
        details=("Right away is fine, as long as I'm not paying twice.",),
        fixes=(
            "Done! You're on annual {plan} now. The unused part of this month ({credit}) was "
            "deducted, so you paid {amount} for the year. Your renewal date is {due_date}.",
            "It's prorated, so you never pay twice. I've switched you over: {amount} for the "
            "year, minus {credit} for the days left this month. Thanks for staying with us!",
        ),
        curt=("Switched to annual. Prorated.", "You can switch in Account > Subscription."),
        updates=("I've started the switch. The proration needs a manual step on our side, so "
                 "I'll confirm the final amount shortly.",),
        notes=("Friendly customer, good candidate for the referral programme.",),
        moods=("happy", "neutral", "confused"),
        priorities=("low",),
    ),
    # --- technical support ------------------------------------------------------------------
    Scenario(
        "reset_email", TECH,
        subjects=("Password reset email never arrives", "Locked out of my account",
                  "Can't log in, no reset email"),
        openers=(
            "I've asked for a password reset five times today and no email arrives. It's not in "
            "spam either. I'm locked out of the app and can't turn off the lights in the {room}.",
            "I can't log in. The reset link never comes through. I've checked spam, promotions, "
            "everything.",
        ),
        asks=("Could you confirm the exact email address you type into the reset form? A typo "
              "or an old address is often the culprit.",),
        details=("The address I'm writing from now. Oh, I might have signed up with my old work "
                 "email, actually.",),
        fixes=(
            "Found it: your account is under your old work address, which is where the reset "
            "emails went. I've changed the login email to the one you're writing from and sent "
            "a fresh reset link; it should arrive within a minute.",
            "Our email provider had put your address on a block list after an earlier bounce. "
            "I've removed it and sent you a new reset link. Let me know if it doesn't show up "
            "within five minutes.",
        ),
        curt=("Check your spam folder.", "Reset link resent."),
        updates=("I can see the reset emails leaving us but not being delivered. I've asked our "
                 "email team to check why your provider rejects them.",),
        notes=("Address on the bounce suppression list since {date}. Removed.",
               "Locked out with lights stuck on in the {room}. Treat as high."),
        moods=("angry", "anxious", "confused"),
        priorities=("normal", "high"),
    ),
    Scenario(
        "two_factor", TECH,
        subjects=("Lost my phone, can't get past two-factor", "2FA codes lost",
                  "Locked out after getting a new phone"),
        openers=(
            "My phone was stolen on {date} and my authenticator app with it. Now I can't log in "
            "because of two-factor authentication, and I didn't save the backup codes.",
            "I switched to a new {device} and didn't move my authenticator app. Now I'm stuck on "
            "the code screen.",
        ),
        asks=(
            "I can reset two-factor for you, but first I need to make sure it's really you. "
            "Could you reply with the number of your last order, or the last four digits of the "
            "card on the account?",
        ),
        details=("The card ends in {last4}, and I think the last order was #{order}.",),
        fixes=(
            "Thanks, that matches. I've switched off two-factor on your account, so you can log "
            "in with your password now. Please set it up again straight away under Account > "
            "Security, and keep the backup codes somewhere safe this time.",
            "Verified: two-factor is reset. When you log in, the app will ask you to set it up "
            "again on your {device}.",
        ),
        curt=("2FA reset. Re-enable it after login.",
              "We cannot reset 2FA without verification. Send proof of identity."),
        updates=("Two-factor resets need a second person on our team to approve them. I've "
                 "asked {lead} to look at it today.",),
        notes=("Identity verified via card {last4} and order #{order}. 2FA reset.",
               "Second 2FA reset for this account this year. Check for signs of account "
               "takeover."),
        moods=("anxious", "angry", "confused"),
        priorities=("high", "urgent", "high"),
    ),
    Scenario(
        "app_crash", TECH,
        subjects=("App crashes on startup after update", "Version {app_version} keeps crashing",
                  "App closes immediately on my {device}"),
        openers=(
            "Since updating to {app_version} yesterday, the app crashes as soon as I open it on "
            "my {device}. I've restarted the phone and reinstalled twice.",
            "The app opens for a second, shows the logo and closes. {device}, latest version. I "
            "can't control any of my lights.",
        ),
        asks=("Sorry about this. Which system version is your {device} on, and does it crash "
              "even with Wi-Fi switched off?",),
        details=("It's on the latest system update. With Wi-Fi off it opens but of course can't "
                 "find the lamps. With Wi-Fi on it crashes straight away.",),
        fixes=(
            "Thanks, that helped pin it down: {app_version} crashes when a home has a scene with "
            "an empty room. Version {app_version_next} fixes it, so please update from the store "
            "and it should open normally. Your scenes are safe.",
            "Our developers found the bug and the fix is in version {app_version_next}, out "
            "today. Until it reaches you, you can control the lamps from the web app.",
        ),
        curt=("Reinstall the app.", "Known issue. Fixed in the next release."),
        updates=("I've reproduced the crash on a test {device} and passed it to our app team as "
                 "{bug}. I'll update you as soon as there's a fixed version.",),
        notes=("Crash reports spiking for {app_version} on {device}. Filed {bug}.",
               "Workaround until the fix ships: the web app."),
        moods=("angry", "disappointed", "confused", "neutral"),
        priorities=("normal", "high"),
    ),
    Scenario(
        "pairing", TECH,
        subjects=("{product} won't connect to the app", "Pairing fails at 90%",
                  "New lamp not showing up"),
        openers=(
            "I bought a {product} and it won't pair. The app gets to 90% and then says "
            "'Something went wrong'. I've reset the lamp three times.",
            "My new {product} doesn't appear in the app at all. The Nook hub sees my other "
            "lights fine.",
        ),
        asks=(
            "Is your Wi-Fi a 2.4 GHz network, or one network name for both 2.4 and 5 GHz? The "
            "lamps only speak 2.4 GHz, and combined networks sometimes confuse them.",
        ),
        details=("It's a combined network from my internet provider, one name for both. I didn't "
                 "know that mattered.",),
        fixes=(
            "That's the culprit. In the app, choose 'Pair manually' and tick 'My router combines "
            "2.4 and 5 GHz'; it holds the connection on 2.4 GHz while pairing. After that the "
            "lamp stays connected normally.",
            "Thanks! The lamp's firmware was too old to join the hub. I've pushed an update to "
            "it from our side: unplug it for ten seconds, plug it back in, and it should appear "
            "within a minute.",
        ),
        curt=("Please follow the pairing guide in the Help Centre.",
              "Reset the lamp and try again."),
        updates=("I've asked our firmware team to check your lamp's serial number against the "
                 "batch with pairing problems. I'll get back to you.",),
        notes=("Batch 23-11 has a pairing firmware bug ({bug}). Replace if the update doesn't "
               "help.",
               "Combined-band routers again. We should mention this on the box insert."),
    ),
    Scenario(
        "export", TECH,
        subjects=("Energy report export is garbled", "CSV export has strange characters",
                  "Export missing the last week"),
        openers=(
            "When I export my energy report to CSV, the room names come out as 'DnevnÃ soba' "
            "instead of 'Dnevna soba'. The last week is missing too.",
            "The monthly energy export stops on {date}. Everything after that is missing from "
            "the file.",
        ),
        asks=("Which program do you open the file in? Excel on Windows needs a small extra step "
              "for accented letters.",),
        details=("Excel on Windows. Google Sheets shows the letters correctly, but the missing "
                 "days are missing there too.",),
        fixes=(
            "Thanks! For the letters, use Data > From Text/CSV in Excel and choose UTF-8; the "
            "file is right, Excel just guesses wrong. The missing days were a real bug in our "
            "export, fixed this morning, so a fresh export will include everything.",
            "We've changed the export so Excel reads accented letters properly, and the missing "
            "week came from a time-zone cut-off, which is fixed too.",
        ),
        curt=("Open the file as UTF-8.", "The export works as designed."),
        updates=("I've reproduced the missing days and reported them to our developers as "
                 "{bug}. I'll send you the steps for Excel along with the fix.",),
        notes=("Export cut-off uses UTC midnight, not the home's time zone. {bug}.",),
        moods=("confused", "neutral", "disappointed"),
        priorities=("low", "normal"),
    ),
    Scenario(
        "slow_app", TECH,
        subjects=("Lights take 10 seconds to respond", "App is really slow lately",
                  "Huge delay when switching lights"),
        openers=(
            "For the past week there's been a delay of 5-10 seconds between tapping a light in "
            "the app and it actually switching. It used to be instant.",
            "Everything in the app has become sluggish. Scenes take forever to load, and "
            "sometimes the lights don't react at all.",
        ),
        asks=("Does the delay also happen with the Dimmer remote, or only with the app? That "
              "tells me whether it's the hub or the connection to our servers.",),
        details=("The remote is instant. Only the app is slow, both at home and away.",),
        fixes=(
            "Thanks, that pointed at our side: one of our servers in your region was overloaded "
            "last week. It's fixed, and the app should be instant again. If it isn't, send me a "
            "note and I'll dig further.",
            "Your hub was reaching our servers through a slow fallback route. I've reset its "
            "connection from our side; unplug the Nook hub for 30 seconds and the delay should "
            "be gone.",
        ),
        curt=("Restart your router.", "Check your internet connection."),
        updates=("Our infrastructure team is looking at slow response times in your region. "
                 "I'll let you know when it's resolved.",),
        notes=("Latency alerts for the region since {date}. Linked to the incident.",
               "Hub stuck on the fallback relay. Reset its session."),
        moods=("angry", "disappointed", "neutral"),
    ),
    Scenario(
        "api_tokens", TECH,
        subjects=("Webhook deliveries failing with 401", "API token stopped working",
                  "Integration broke after your update"),
        openers=(
            "Our home-automation integration stopped receiving webhooks on {date}. Your delivery "
            "log shows 401 Unauthorized on every attempt, and we haven't changed anything.",
            "All API calls with our token return 401 since this morning. Our building system "
            "can't switch the corridor lights anymore.",
        ),
        asks=("Could you send the first six characters of the token you use, and the request ID "
              "of one failing call? Please don't send the whole token.",),
        details=("The token starts with nl_live_8f. Request ID req_{invoice}.",),
        fixes=(
            "Thanks. Your token was one of the old-format tokens we retired on {date}; the "
            "notice went to a developer address that no longer exists. I've extended the old "
            "token for 30 days. Please create a new one under Settings > API when you can.",
            "Found it: a change on our side rejected tokens created before 2022. We've rolled it "
            "back, so your calls should succeed again now. Sorry for the disruption.",
        ),
        curt=("Regenerate your API token.", "Your token expired. Create a new one."),
        updates=("I've escalated this to our platform team, as several customers' integrations "
                 "are affected. I'll update you within the hour.",),
        notes=("Old-format tokens rejected after the auth change ({bug}).",
               "Building customer, about 40 fixtures on the API. High impact."),
        moods=("neutral", "anxious", "angry"),
        priorities=("high", "urgent", "normal"),
    ),
    Scenario(
        "dark_mode", TECH,
        subjects=("Is there a dark mode?", "Feature request: dark mode", "Dark theme for the "
                  "app?"),
        openers=(
            "Love the app, but it's very bright when I use it at night to turn off the bedroom "
            "lights. Is there a dark mode I'm missing?",
            "Any plans for a dark theme? My eyes would thank you.",
        ),
        asks=("Which version of the app do you have? Dark mode came in {app_version}, so on an "
              "older one, updating will unlock it.",),
        details=("I'm on {app_version} and can't find it anywhere in the settings.",),
        fixes=(
            "Good news: it's there! Settings > Appearance > Theme, then choose 'Dark' or "
            "'Follow system'. Sleep well!",
            "There is. The app follows your phone's setting by default, so if your phone is in "
            "light mode, you can force dark under Settings > Appearance.",
        ),
        curt=("Settings > Appearance.", "Not available. Feature requests go to the forum."),
        updates=("I've passed your request on to our product team and added your vote.",),
        notes=("Another vote for a dim interface at night.",),
        moods=("happy", "neutral", "confused"),
        priorities=("low",),
    ),
    Scenario(
        "sharing", TECH,
        subjects=("How do I give my partner access?", "Sharing my home with family",
                  "Second user for the app"),
        openers=(
            "My partner wants to control the lights too. Do they need their own {plan} "
            "subscription, or can I share my home with them?",
            "How do I let my teenage kids use the lights without letting them change all my "
            "schedules?",
        ),
        asks=("Should they have full control, or just switch lights and scenes without "
              "changing settings?",),
        details=("Just lights and scenes. No touching the schedules!",),
        fixes=(
            "Easy: open Home > Members > Invite, enter their email and pick the 'Guest' role. "
            "Guests can use lights and scenes but can't change schedules or settings, and {plan} "
            "covers everyone in the home, so there's nothing extra to pay.",
            "You can invite up to six people on {plan} at no extra cost: Home > Members > "
            "Invite. Pick 'Member' for full control or 'Guest' for lights only.",
        ),
        curt=("Home > Members > Invite.", "See the Help Centre article 'Sharing your home'."),
        updates=("Guest roles are being reworked right now; let me check with the product team "
                 "what's available in your version.",),
        notes=("The docs for the Guest role are outdated since {app_version}.",),
        moods=("confused", "neutral", "happy"),
        priorities=("low", "normal"),
    ),
    Scenario(
        "login_email", TECH,
        subjects=("Change my login email", "I can't get into my old email anymore",
                  "Update account email address"),
        openers=(
            "My account is registered with my old university email, which has now been shut "
            "down. How do I move it to this address without losing everything?",
            "I changed jobs and lost access to the email my account uses. Can you switch it to "
            "this one?",
        ),
        asks=("For security I need to confirm it's you. What's the name of your home in the "
              "app, and roughly when did you buy your first lamp?",),
        details=("The home is called '{city} flat', and the first lamp was a {product}, maybe "
                 "two years ago.",),
        fixes=(
            "That matches, thank you. I've changed your login email to this address and you'll "
            "get a confirmation from us; everything else (lamps, scenes, schedules) stays "
            "exactly as it was.",
            "Done. Your login is now this address. Next time you can do it yourself under "
            "Account > Email, as long as you can still open the old inbox.",
        ),
        curt=("Email changed.", "Change it in Account settings."),
        updates=("Email changes without access to the old address go through a security "
                 "review. I've submitted it; it takes up to a day.",),
        notes=("Verified via home name and first product. Changed the login email.",),
        moods=("anxious", "confused", "neutral"),
    ),
    Scenario(
        "delete_data", TECH,
        subjects=("Delete my account and data", "GDPR erasure request",
                  "Please remove all my personal data"),
        openers=(
            "Under the GDPR I'd like you to delete my account and all the personal data you hold "
            "about me. Please confirm when it's done.",
            "I'm not using the lights anymore. Please close my account and delete my data, the "
            "energy history included.",
        ),
        asks=("I can do that. Deletion is permanent and removes your energy history and scenes; "
              "would you like an export of your data first?",),
        details=("No export needed, just delete it please.",),
        fixes=(
            "Your account and personal data are deleted. Our backups roll over within 30 days, "
            "after which nothing remains. Invoices have to be kept for 7 years for tax reasons, "
            "but they're stored separately and used for nothing else.",
            "Done: account closed and data deleted. You'll get one final confirmation email, and "
            "after that we won't contact you again.",
        ),
        curt=("Account deleted.", "Request received. Processing takes up to 30 days."),
        updates=("I've started the deletion. It runs in stages over 48 hours, and I'll confirm "
                 "when it's complete.",),
        notes=("GDPR erasure request logged on {date}. We have one month.",),
        moods=("neutral", "angry", "disappointed"),
    ),
    Scenario(
        "outage", TECH,
        subjects=("Nothing works: app says 'cannot reach home'", "Is there an outage?",
                  "All lights offline"),
        openers=(
            "Since about an hour ago the app says 'Cannot reach your home' and none of the "
            "schedules ran. Is something down on your side?",
            "All my lights show as offline in the app, both at home and on mobile data. My "
            "elderly mother relies on the evening schedule.",
        ),
        asks=("Is the light on the Nook hub solid white or blinking orange? That tells me "
              "whether it's your hub or our service.",),
        details=("Blinking orange.",),
        fixes=(
            "We had an outage between {time_from} and {time_to}; it's resolved and your home "
            "should be reachable again. Missed schedules run at their next time. I'm very sorry "
            "for the worry this caused.",
            "Blinking orange means the hub lost its connection during last night's incident and "
            "didn't reconnect by itself. Unplugging it for 30 seconds fixes it, and a firmware "
            "update is coming so this won't happen again.",
        ),
        curt=("There was an outage. It's fixed.", "Check status.northlight.example."),
        updates=("Yes, we have an incident affecting some homes in your region. Our engineers "
                 "are on it, and I'll update you the moment it's fixed.",),
        notes=("Part of the {date} incident. Link the write-up when it's published.",
               "Elderly relative depends on the schedules. Call back once fixed."),
        moods=("angry", "anxious"),
        priorities=("urgent", "high"),
    ),
    Scenario(
        "notifications", TECH,
        subjects=("Too many notification emails", "Please stop the notification spam",
                  "20 emails a day from the app"),
        openers=(
            "I'm getting about twenty emails a day saying a light was switched on or off. I "
            "never asked for these. How do I turn them off?",
            "Every time my motion sensor triggers I get an email. My inbox is flooded.",
        ),
        asks=("Do you want to stop all notifications, or only the motion sensor ones?",),
        details=("Only the motion sensor ones. The 'door left open' ones are useful.",),
        fixes=(
            "Settings > Notifications > Motion sensor, then switch off 'Email'; the others stay "
            "as they are. I've also turned it off for you just now, so the flood should stop "
            "straight away.",
            "The latest update switched motion alerts on for everyone by mistake, sorry! I've "
            "turned them off on your account, and a fix is on its way for everyone else.",
        ),
        curt=("Disable them in Settings > Notifications.",
              "Use the unsubscribe link in the email."),
        updates=("I've reported the changed default to our app team.",),
        notes=("Motion alerts defaulted to on in {app_version}. {bug}.",),
        moods=("angry", "confused", "neutral"),
        priorities=("low", "normal"),
    ),
    Scenario(
        "schedules_dst", TECH,
        subjects=("Schedules an hour off", "Lights turn on at the wrong time",
                  "Wake-up light is an hour late"),
        openers=(
            "Since the clocks changed, my wake-up light comes on an hour late. The schedule "
            "still says 6:30 in the app.",
            "My evening scene switches on at 18:00 instead of 19:00. I haven't changed anything.",
        ),
        asks=("Could you check the time zone under Home > Settings > Location? If it shows a "
              "fixed offset like 'UTC+01:00', that's the cause.",),
        details=("It says UTC+01:00. I have no idea how it got there.",),
        fixes=(
            "That's it: a fixed offset doesn't follow daylight saving time. I've set your home "
            "to your real time zone, and schedules follow the clocks from now on.",
            "Homes created with an early app version got a fixed offset. I've switched yours to "
            "your named time zone, so the schedules will be right from tonight.",
        ),
        curt=("Set the correct time zone in Home settings.", "Update the time zone."),
        updates=("I've asked our developers to convert your home's time setting.",),
        notes=("Fixed-offset time zone from the old onboarding. Migrate.",),
        moods=("confused", "neutral", "disappointed"),
    ),
    # --- orders & delivery ------------------------------------------------------------------
    Scenario(
        "late_delivery", ORDERS,
        subjects=("Order #{order} hasn't arrived", "Where is my order?",
                  "Delivery late, tracking not updating"),
        openers=(
            "I ordered the {product} on {date} with delivery promised within 3 days. It's been "
            "{days} days, and the {carrier} tracking ({tracking}) hasn't updated since it left "
            "the warehouse.",
            "My order #{order} still hasn't arrived. The tracking page has said 'In transit' for "
            "days.",
        ),
        asks=("Could you confirm the delivery address on the order? I want to rule out a typo "
              "before I chase {carrier}.",),
        details=("The address is correct, the same one I've used for all my orders.",),
        fixes=(
            "I've spoken to {carrier}: the parcel was held at their depot in {city} because of "
            "a damaged label. They've relabelled it and it's out for delivery tomorrow. I've "
            "refunded your shipping fee for the wait.",
            "{carrier} have confirmed the parcel is lost. I've sent a replacement {product} by "
            "express today (tracking {tracking2}), and you don't need to return anything if the "
            "first one turns up.",
        ),
        curt=("Your order is with {carrier}. Please check the tracking.",
              "Deliveries can take up to 10 business days."),
        updates=("I've opened an investigation with {carrier}. They usually reply within two "
                 "business days, and I'll get back to you as soon as they do.",),
        notes=("Investigation opened with {carrier}, ref {invoice}.",
               "It's a gift. If it isn't moving by tomorrow, reship by express."),
        moods=("angry", "anxious", "disappointed", "neutral"),
        priorities=("normal", "high"),
    ),
    Scenario(
        "damaged", ORDERS,
        subjects=("{product} arrived damaged", "Broken item in order #{order}",
                  "Cracked lampshade"),
        openers=(
            "My {product} arrived today with a cracked shade. The box was crushed on one corner. "
            "Photos attached.",
            "I opened order #{order} and the {product} is broken: the base has snapped off. "
            "Really disappointing, it was a present.",
        ),
        asks=("I'm sorry! Could you send a photo of the shipping label on the box? {carrier} "
              "need it for the damage claim.",),
        details=("Photo of the label attached. I still have the box if they want it.",),
        fixes=(
            "Thank you. A new {product} is on its way by express (tracking {tracking2}), and "
            "you don't need to send the broken one back; please recycle it. I've filed the claim "
            "with {carrier} myself.",
            "I've refunded {amount} in full, and you can keep or recycle the damaged one. If "
            "you'd rather have a replacement, just say so and I'll send one.",
        ),
        curt=("Replacement sent.", "Please return the item for inspection."),
        updates=("I've filed a damage claim with {carrier} and asked the warehouse whether we "
                 "have a replacement in stock.",),
        notes=("Third damaged {product} this week from the same warehouse. Packaging?",
               "No stock of {product} until {due_date}. Offer a refund."),
        moods=("disappointed", "angry", "anxious", "neutral"),
    ),
    Scenario(
        "wrong_item", ORDERS,
        subjects=("Wrong item received", "I ordered a {product}, got a {other_product}",
                  "Order #{order}: wrong product"),
        openers=(
            "I ordered a {product}, but the box contained a {other_product}. The packing slip "
            "says {product}, so it looks like a mix-up in the warehouse.",
            "Order #{order} arrived today with the wrong item inside: {other_product} instead of "
            "{product}.",
        ),
        asks=("Sorry for the mix-up! Is the {other_product} still unopened? If so, I'll send "
              "you a free return label.",),
        details=("It's unopened. I'd like the {product} as soon as possible, please.",),
        fixes=(
            "The {product} went out today by express (tracking {tracking2}), and the return "
            "label for the {other_product} is attached. No rush, just drop it off within 30 "
            "days.",
            "The right {product} is on its way, and please keep the {other_product} with our "
            "apologies; sending it back would cost more than it's worth.",
        ),
        curt=("Return the item and we'll send the correct one.", "Return label attached."),
        updates=("I've asked the warehouse to check their stock. If they have a {product}, it "
                 "goes out today.",),
        notes=("Pick error: the {product} and {other_product} bins sit next to each other.",),
        moods=("confused", "disappointed", "angry"),
    ),
    Scenario(
        "missing_item", ORDERS,
        subjects=("Item missing from my order", "Only part of order #{order} arrived",
                  "Missing {product}"),
        openers=(
            "Order #{order} arrived, but the {product} is missing. Everything else was in the "
            "box.",
            "I ordered {qty} items and only got {qty_less}. The {product} isn't there.",
        ),
        asks=("Could there be a second parcel on its way? Bigger orders sometimes ship in two "
              "boxes, and the tracking email lists both.",),
        details=("Only one tracking number in the email, and one box. Nothing else came.",),
        fixes=(
            "You're right, the warehouse left it out. The {product} is on its way separately now "
            "(tracking {tracking2}) and should be with you in 2-3 days.",
            "Thanks for checking. The item was out of stock when your order was packed, and that "
            "should have been flagged. It ships today, and I've refunded the shipping fee for "
            "the hassle.",
        ),
        curt=("The missing item will be sent.", "Please check the whole package."),
        updates=("I've asked the warehouse to compare the packed weight of your parcel with the "
                 "order.",),
        notes=("Packed weight {weight} kg, about one {product} short. Reship.",),
        moods=("confused", "disappointed", "neutral"),
    ),
    Scenario(
        "change_address", ORDERS,
        subjects=("Change delivery address for #{order}", "Wrong address on my order",
                  "Can I still change the shipping address?"),
        openers=(
            "I just placed order #{order} and realised it's going to my old address. Can you "
            "change it to my new one in {city} before it ships?",
            "There's a typo in my delivery address, I wrote the wrong house number. Order "
            "#{order}. Please help before it ships!",
        ),
        asks=("Could you send me the complete correct address, postcode included?",),
        details=("Here it is: Riverside 14B, {postcode} {city}.",),
        fixes=(
            "Caught it in time: the address on #{order} is updated and it ships tomorrow to the "
            "new one.",
            "The parcel had already left, but I've asked {carrier} to redirect it. They'll email "
            "you an updated delivery date.",
        ),
        curt=("Address updated.", "Orders cannot be changed after they are placed."),
        updates=("I've asked the warehouse to hold the parcel while I update the address.",),
        notes=("Warehouse hold requested on #{order}.",),
        moods=("anxious", "neutral", "confused"),
        priorities=("high", "normal"),
    ),
    Scenario(
        "return", ORDERS,
        subjects=("How do I return the {product}?", "Return request for order #{order}",
                  "Return: too big for our room"),
        openers=(
            "The {product} is lovely but too big for our {room}. How do I return it? Order "
            "#{order}.",
            "I'd like to return the {product}; it doesn't go with the rest of the room. Do I pay "
            "for the return shipping?",
        ),
        asks=("Of course. Is the {product} still in its original box? That decides whether it "
              "goes back as new or as opened.",),
        details=("Yes, original box, barely used.",),
        fixes=(
            "The return label is attached: print it, stick it on the box and drop it at any "
            "{carrier} point. As soon as the warehouse receives it, your {amount} refund goes "
            "out automatically.",
            "Here's your prepaid return label. Returns within 30 days are free, so there's "
            "nothing to pay, and the {amount} refund follows within 5 days of it reaching us.",
        ),
        curt=("Return label attached.", "Returns are handled via the portal."),
        updates=("I've requested a return label from {carrier}; it should be with you by "
                 "tomorrow.",),
        notes=("Return reason: size. The product page could use a photo with dimensions.",),
        moods=("neutral", "confused", "disappointed", "happy"),
        priorities=("low", "normal"),
    ),
    Scenario(
        "customs", ORDERS,
        subjects=("Unexpected customs fee on delivery", "I had to pay {amount} in import "
                  "charges", "Duties: weren't they included?"),
        openers=(
            "The courier asked me for {amount} in customs and handling fees before he would hand "
            "over order #{order}. Your website said all duties were included!",
            "Why did I have to pay import charges of {amount} for my {product}? Nobody mentioned "
            "that at checkout.",
        ),
        asks=("Could you send a photo of the receipt the courier gave you? I need the split "
              "between duties and their handling fee.",),
        details=("Receipt attached. {amount} in total, about a third of it the handling fee.",),
        fixes=(
            "Thank you. Duties should indeed have been prepaid by us; the parcel went out under "
            "the wrong shipping terms. I've refunded the full {amount}.",
            "You shouldn't have had to pay anything. I've refunded the {amount} to your original "
            "payment method and asked our logistics team to fix the shipping terms for your "
            "country.",
        ),
        curt=("Customs fees are the customer's responsibility.", "See our shipping policy."),
        updates=("I've asked our logistics team why the parcel wasn't shipped duties-paid.",),
        notes=("Shipped without prepaid duties by mistake. Refund the fees.",),
        moods=("angry", "confused", "disappointed"),
    ),
    Scenario(
        "gift_deadline", ORDERS,
        subjects=("Will my order arrive before {due_date}?", "Gift must arrive by the weekend",
                  "Birthday present: urgent delivery question"),
        openers=(
            "I ordered the {product} as a birthday present for my mum, and her birthday is on "
            "{due_date}. The tracking hasn't moved in two days. Will it make it?",
            "Quick question: order #{order} is a birthday gift. Can you make sure it arrives by "
            "{due_date}? Happy to pay for faster shipping.",
        ),
        asks=("Will someone be home during the day to sign for it? Express parcels need a "
              "signature.",),
        details=("Yes, I work from home, so I'll be here.",),
        fixes=(
            "I've upgraded it to express at no cost, and it arrives on {arrive_date}, in good "
            "time for {due_date}. I hope your mum loves it!",
            "Good news: {carrier} confirmed it arrives by {arrive_date}. I've also added a gift "
            "note at no charge. Happy birthday to your mum!",
        ),
        curt=("The delivery estimate is on the tracking page.",
              "We can't guarantee delivery dates."),
        updates=("I've asked {carrier} to prioritise it, and I'll confirm the delivery date as "
                 "soon as they reply.",),
        notes=("Gift deadline {due_date}. Upgrade to express if nothing moves by tomorrow.",),
        moods=("anxious", "happy", "neutral"),
        priorities=("high", "urgent"),
    ),
    Scenario(
        "not_received", ORDERS,
        subjects=("Tracking says delivered, but nothing arrived", "Parcel marked as delivered, "
                  "not here", "Order #{order} not received"),
        openers=(
            "The {carrier} tracking says my parcel was delivered yesterday at 14:32, but I was "
            "home all day and nothing came. It's not with the neighbours either.",
            "My order shows as delivered, but there's no parcel. I've checked the garden, the "
            "bins, the neighbours. Where is it?",
        ),
        asks=("I'm sorry. Is there a delivery photo on the {carrier} tracking page? It often "
              "shows where the parcel was left.",),
        details=("The photo shows a door that isn't mine. Different colour and number.",),
        fixes=(
            "That settles it: it went to the wrong door. I've sent a replacement by express "
            "(tracking {tracking2}) and filed a complaint with {carrier}. If the first one turns "
            "up, keep it or send it back, whichever is easier.",
            "I've opened a claim with {carrier} and sent you a replacement straight away, so "
            "you're not waiting on their investigation.",
        ),
        curt=("According to {carrier} the parcel was delivered. Please ask your neighbours.",
              "Contact {carrier} directly."),
        updates=("I've opened a claim with {carrier}; they'll check the driver's GPS record. "
                 "I'll get back to you within two business days.",),
        notes=("The delivery photo shows the wrong address. Reship and claim.",),
        moods=("anxious", "angry", "confused"),
        priorities=("normal", "high"),
    ),
    Scenario(
        "cancel_order", ORDERS,
        subjects=("Cancel order #{order}", "Please cancel my order", "Ordered by mistake"),
        openers=(
            "I ordered the {product} twice by accident (#{order} and the one right after). "
            "Please cancel one of them.",
            "Please cancel order #{order}, I found the same lamp locally. I placed it an hour "
            "ago, so hopefully it hasn't shipped.",
        ),
        asks=("Which of the two orders would you like to keep? They're both for the "
              "{product}.",),
        details=("Keep the first one and cancel #{order}.",),
        fixes=(
            "Order #{order} is cancelled and the {amount} refund is on its way; you'll see it "
            "within 3-5 business days.",
            "Caught it before it left the warehouse: #{order} is cancelled and fully refunded.",
        ),
        curt=("Order cancelled.", "The order has already shipped. Please return it."),
        updates=("The order was already being packed, so I've asked the warehouse to pull it.",),
        notes=("Double order from a double click. The checkout button stays active after "
               "submit.",),
        moods=("anxious", "neutral", "confused"),
    ),
    # --- praise -----------------------------------------------------------------------------
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

# --- customers --------------------------------------------------------------------------------

PREFERRED_NAMES: dict[str, str] = {
    "Aleksandra": "Sasha", "Alexander": "Alex", "Robert": "Rob", "Elizabeth": "Liz",
    "Margaret": "Maggie", "William": "Will", "Jennifer": "Jen", "Christopher": "Chris",
    "Katherine": "Kate", "Francesca": "Fran", "Giuseppe": "Beppe", "Guillermo": "Memo",
    "Alejandro": "Álex", "Oluwaseun": "Seun", "Chukwuemeka": "Emeka", "Siddharth": "Sid",
    "Venkatesh": "Venky", "Przemysław": "Przemek", "Małgorzata": "Gosia", "Johannes": "Hannes",
    "Maximilian": "Max", "Katarina": "Kaja", "Mohammed": "Mo", "Jan-Willem": "Jan",
    "Nikolaos": "Nikos", "Santiago": "Santi", "Valentina": "Vale",
}
CUSTOMER_NOTES = (
    "Prefers a phone call after 17:00 their time.",
    "Wholesale customer: buys for three boutique hotels.",
    "Uses a screen reader; please describe steps in words, not only screenshots.",
    "Had a double charge last year, refunded in full.",
    "Writes for a home-tech blog. Be accurate and make no promises about the roadmap.",
    "Beta tester for the app, happy to try preview builds.",
    "Asked us not to call. Email only.",
    "Long-time customer since the first Aurora lamp launch.",
    "Was offered a 20% loyalty discount in the spring; honour it if they ask.",
    "Runs a small café and orders in bulk before the holidays.",
    "Prefers to be addressed formally.",
    "Speaks Slovenian and German; replies in English are fine.",
)
COMPANIES = ("Brightpath Studio", "Harbourline Logistics", "Kovačič & Partners", "Nordlys AS",
             "Casa Verde SL", "Tanaka Design", "Maple Row Dental", "Atelier Lumière")

POOLS: tuple[NamePool, ...] = (
    NamePool("sl", ("Europe/Ljubljana",), "€", "SI", ("Ljubljana", "Maribor", "Koper"),
             ("Pošta Slovenije", "DHL Express"),
             first=("Ana", "Luka", "Nina", "Matej", "Špela", "Jure", "Tjaša", "Rok", "Katarina",
                    "Aleksandra", "Urška", "Žiga"),
             last=("Novak", "Horvat", "Kovačič", "Krajnc", "Zupančič", "Potočnik", "Mlakar",
                   "Kos", "Vidmar", "Golob", "Turk", "Božič"), weight=3),
    NamePool("hr", ("Europe/Zagreb", "Europe/Belgrade"), "€", "HR", ("Zagreb", "Split",
             "Novi Sad"), ("DHL Express", "GLS"),
             first=("Ivana", "Marko", "Petra", "Aleksandar", "Jelena", "Nikola", "Maja",
                    "Stefan", "Dragana"),
             last=("Petrović", "Jovanović", "Kovačević", "Babić", "Marić", "Perić", "Đurić",
                   "Radić")),
    NamePool("en", ("Europe/London",), "£", "GB", ("London", "Manchester", "Edinburgh",
             "Cardiff"), ("Royal Mail", "DPD"),
             first=("Oliver", "Amelia", "Harry", "Charlotte", "George", "Isla", "Jack", "Emily",
                    "Margaret", "William", "Elizabeth", "Rhys", "Siobhan"),
             last=("Smith", "Hughes", "Wright", "Patel", "Thompson", "Evans", "O'Brien",
                   "Clarke", "MacLeod", "Walsh"), weight=3),
    NamePool("en", ("America/New_York", "America/Chicago", "America/Denver",
             "America/Los_Angeles"), "$", "US", ("Boston", "Chicago", "Denver", "Seattle",
             "Austin"), ("UPS", "FedEx", "USPS"),
             first=("Jennifer", "Michael", "Ashley", "Christopher", "Jessica", "Tyler",
                    "Brianna", "Robert", "Katherine", "Marcus", "Destiny", "Alexander"),
             last=("Johnson", "Williams", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
                   "Anderson", "Washington", "Nguyen", "Kim", "O'Connor"), weight=4,
             month_first=True),
    NamePool("fr", ("America/Toronto", "America/Vancouver"), "$", "CA", ("Montréal", "Toronto",
             "Vancouver"), ("Canada Post", "Purolator"),
             first=("Émilie", "Mathieu", "Chloé", "Olivier", "Ryan", "Megan"),
             last=("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "MacDonald", "Campbell"),
             month_first=True),
    NamePool("de", ("Europe/Berlin", "Europe/Vienna", "Europe/Zurich"), "€", "DE", ("Berlin",
             "Munich", "Vienna", "Zurich"), ("DHL", "Hermes"),
             first=("Lukas", "Anna", "Maximilian", "Sophie", "Johannes", "Lena", "Jonas",
                    "Katharina", "Felix", "Marie"),
             last=("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann",
                   "Schäfer", "Wagner", "Huber"), weight=3),
    NamePool("fr", ("Europe/Paris", "Europe/Brussels"), "€", "FR", ("Paris", "Lyon",
             "Brussels"), ("Colissimo", "Chronopost"),
             first=("Camille", "Louis", "Manon", "Hugo", "Léa", "Théo", "Antoine", "Inès"),
             last=("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard",
                   "Fontaine", "Rousseau"), weight=2),
    NamePool("es", ("Europe/Madrid",), "€", "ES", ("Madrid", "Valencia", "Seville"),
             ("Correos", "SEUR"),
             first=("Lucía", "Alejandro", "Carmen", "Javier", "Marta", "Pablo", "Guillermo",
                    "Elena", "José"),
             last=("García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Navarro",
                   "Torres", "Ruiz"), weight=2),
    NamePool("es", ("America/Mexico_City", "America/Bogota", "America/Argentina/Buenos_Aires"),
             "$", "MX", ("Mexico City", "Bogotá", "Buenos Aires"), ("DHL Express", "FedEx"),
             first=("Valentina", "Mateo", "Camila", "Santiago", "Daniela", "Sebastián",
                    "Gabriela", "Joaquín"),
             last=("Hernández", "Rodríguez", "Gómez", "Castillo", "Ramírez", "Morales",
                   "Vargas"), weight=2),
    NamePool("pt", ("America/Sao_Paulo", "Europe/Lisbon"), "€", "PT", ("São Paulo", "Lisbon",
             "Porto"), ("CTT", "DHL Express"),
             first=("Thiago", "Beatriz", "Rafael", "Mariana", "João", "Larissa"),
             last=("Silva", "Oliveira", "Pereira", "Souza", "Costa", "Almeida")),
    NamePool("it", ("Europe/Rome",), "€", "IT", ("Milan", "Bologna", "Naples"),
             ("Poste Italiane", "BRT"),
             first=("Giulia", "Francesco", "Chiara", "Alessandro", "Francesca", "Giuseppe",
                    "Sara", "Matteo"),
             last=("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo",
                   "Ricci", "Greco"), weight=2),
    NamePool("pl", ("Europe/Warsaw",), "€", "PL", ("Warsaw", "Kraków", "Gdańsk"),
             ("InPost", "DPD"),
             first=("Małgorzata", "Przemysław", "Katarzyna", "Łukasz", "Agnieszka", "Tomasz",
                    "Zofia", "Jakub"),
             last=("Nowak", "Wójcik", "Kowalczyk", "Mazur", "Krawczyk", "Zając", "Król",
                   "Wieczorek")),
    NamePool("sv", ("Europe/Stockholm", "Europe/Oslo", "Europe/Copenhagen", "Europe/Helsinki"),
             "€", "SE", ("Stockholm", "Oslo", "Copenhagen", "Helsinki"), ("PostNord", "Posti"),
             first=("Astrid", "Erik", "Ingrid", "Lars", "Sofie", "Mikkel", "Aino", "Mikko",
                    "Freja", "Øyvind"),
             last=("Lindqvist", "Johansson", "Hansen", "Nielsen", "Virtanen", "Andersen", "Berg",
                   "Korhonen", "Dahl", "Sørensen"), weight=2),
    NamePool("nl", ("Europe/Amsterdam",), "€", "NL", ("Amsterdam", "Utrecht", "Rotterdam"),
             ("PostNL", "DHL"),
             first=("Sanne", "Daan", "Lotte", "Bram", "Fleur", "Jan-Willem", "Anouk", "Thijs"),
             last=("de Vries", "van Dijk", "Jansen", "Bakker", "Visser", "Smit", "de Boer",
                   "van den Berg")),
    NamePool("en", ("Asia/Kolkata",), "$", "IN", ("Bengaluru", "Pune", "Chennai", "Mumbai"),
             ("Blue Dart", "DHL Express"),
             first=("Priya", "Rahul", "Ananya", "Arjun", "Siddharth", "Kavya", "Venkatesh",
                    "Meera", "Rohan", "Deepika"),
             last=("Sharma", "Iyer", "Patel", "Reddy", "Nair", "Gupta", "Menon", "Krishnan",
                   "Banerjee", "Rao"), weight=3),
    NamePool("en", ("Asia/Singapore", "Asia/Kuala_Lumpur"), "S$", "SG", ("Singapore",
             "Kuala Lumpur", "Penang"), ("SingPost", "Ninja Van"),
             first=("Jason", "Rachel", "Darren", "Michelle", "Bryan"),
             last=("Lim", "Tan", "Ng", "Goh", "Chua"),
             full=(("Tan Wei Ling", "Wei Ling"), ("Lim Jun Jie", "Jun Jie"),
                   ("Ng Hui Min", "Hui Min"), ("Goh Kai Xiang", "Kai Xiang"),
                   ("Wong Mei Ling", "Mei Ling"), ("Nur Aisyah binti Ahmad", "Aisyah"),
                   ("Muhammad Hafiz bin Ismail", "Hafiz"), ("Chua Li Ting", "Li Ting")),
             weight=3),
    NamePool("ja", ("Asia/Tokyo",), "$", "JP", ("Tokyo", "Osaka", "Fukuoka"),
             ("Yamato Transport", "Japan Post"),
             first=("Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina"),
             last=("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Yamamoto")),
    NamePool("ko", ("Asia/Seoul",), "$", "KR", ("Seoul", "Busan"), ("CJ Logistics", "EMS"),
             full=(("Kim Min-jun", "Min-jun"), ("Park Ji-woo", "Ji-woo"),
                   ("Lee Seo-yeon", "Seo-yeon"), ("Choi Hyun-woo", "Hyun-woo"),
                   ("Jung Ha-eun", "Ha-eun"))),
    NamePool("vi", ("Asia/Ho_Chi_Minh", "Asia/Manila"), "$", "VN", ("Hanoi", "Ho Chi Minh City",
             "Manila", "Cebu"), ("Ninja Van", "DHL Express"),
             first=("Angelica", "Paolo", "Joshua", "Kristine", "Carlo"),
             last=("Santos", "Reyes", "Cruz", "Bautista", "Villanueva"),
             full=(("Nguyen Thi Lan", "Lan"), ("Tran Van Minh", "Minh"),
                   ("Le Hoang Anh", "Hoang Anh"), ("Pham Thu Trang", "Trang"))),
    NamePool("en", ("Africa/Lagos", "Africa/Nairobi", "Africa/Johannesburg"), "$", "NG",
             ("Lagos", "Nairobi", "Cape Town", "Accra"), ("DHL Express", "Aramex"),
             first=("Chukwuemeka", "Oluwaseun", "Amara", "Ngozi", "Wanjiru", "Kwame", "Thabo",
                    "Zanele", "Fatima", "Tendai"),
             last=("Okafor", "Adeyemi", "Okonkwo", "Mwangi", "Otieno", "Nkosi", "Dlamini",
                   "Mensah", "Balogun"), weight=2),
    NamePool("ar", ("Asia/Dubai", "Asia/Riyadh", "Asia/Amman"), "$", "AE", ("Dubai", "Riyadh",
             "Amman"), ("Aramex", "DHL Express"),
             first=("Mohammed", "Layla", "Omar", "Yasmin", "Karim", "Noor"),
             last=("Haddad", "Khalil", "Al-Mansouri", "Aziz", "Nasser", "Saleh")),
    NamePool("tr", ("Europe/Istanbul",), "€", "TR", ("Istanbul", "Izmir", "Ankara"),
             ("Yurtiçi Kargo", "DHL Express"),
             first=("Emre", "Elif", "Zeynep", "Burak", "Ayşe", "Mehmet"),
             last=("Yılmaz", "Demir", "Şahin", "Çelik", "Kaya", "Öztürk")),  # noqa: RUF001
    NamePool("el", ("Europe/Athens",), "€", "EL", ("Athens", "Thessaloniki"), ("ELTA",
             "ACS Courier"),
             full=(("Nikolaos Papadopoulos", "Nikos"), ("Eleni Georgiou", ""),
                   ("Dimitris Alexiou", ""), ("Katerina Nikolaidou", ""),
                   ("Giorgos Ioannou", ""), ("Maria Konstantinou", ""))),
    NamePool("en", ("Australia/Sydney", "Australia/Melbourne", "Pacific/Auckland"), "$", "AU",
             ("Sydney", "Melbourne", "Auckland", "Wellington"), ("Australia Post", "NZ Post"),
             first=("Lachlan", "Chloe", "Mitchell", "Jessica", "Aroha", "Tane", "Brooke",
                    "Hamish"),
             last=("Murphy", "Kelly", "Walker", "Ngata", "Campbell", "Robertson", "Taylor"),
             weight=2),
)

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


def all_templates() -> Iterator[str]:
    """Every template string in this module, for checking that each slot gets filled."""
    for scenario in SCENARIOS:
        for field in fields(scenario):
            value = getattr(scenario, field.name)
            if isinstance(value, tuple) and field.name not in {"moods", "priorities"}:
                yield from value
    groups: list[object] = [
        MOOD_OPENINGS, MOOD_CLOSINGS, CUSTOMER_GREETINGS, CUSTOMER_SIGNOFFS, AGENT_GREETINGS,
        EMPATHY, AGENT_SIGNOFFS, SECOND_NUDGES, THIRD_NUDGES, CHASES, ANNOYED_AFTER_CURT,
        THANKS, STILL_BROKEN, AFTER_CLOSED, SORRY_FOR_THE_WAIT, ROBOTIC_PREFIXES,
        ROBOTIC_SUFFIXES, SOLVED_AFTER_THANKS, DUPLICATE_REPLY, GENERIC_NOTES,
        CURT_COACHING_NOTES, REASSIGN_NOTES, TRIAGE_NOTES, DUPLICATE_NOTES, PHONE_NOTES,
        REPEAT_NOTES,
    ]
    for group in groups:
        values = group.values() if isinstance(group, dict) else [group]
        for texts in values:
            yield from texts  # type: ignore[misc]
