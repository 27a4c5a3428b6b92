"""Billing scenarios: charges, refunds, invoices, cards, prices, plans and coupons."""

from __future__ import annotations

from heard.desk.demo.text.scenario import BILLING, Scenario

SCENARIOS: tuple[Scenario, ...] = (
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
)
