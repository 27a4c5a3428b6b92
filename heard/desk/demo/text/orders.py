"""Orders & delivery scenarios: late, damaged, wrong or missing parcels, returns and customs."""

from __future__ import annotations

from heard.desk.demo.text.scenario import ORDERS, Scenario

SCENARIOS: tuple[Scenario, ...] = (
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
)
