"""Technical support scenarios: accounts, the app, the hub, the API and outages."""

from __future__ import annotations

from heard.desk.demo.text.scenario import TECH, Scenario

SCENARIOS: tuple[Scenario, ...] = (
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
)
