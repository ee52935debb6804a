"""Demo vouchers that are not in family bundles: the fixed code ranges testers use, deliveries, payment requests."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from arc.demo import data
from arc.demo.history import Move
from arc.payments.models import StateToken
from arc.vouchers.states import Actor
from arc.vouchers.models import Delivery

# The gap between two transitions of one voucher in the history of the 50 payment-pending vouchers.
STEP_BETWEEN_STATES = timedelta(seconds=10)


@dataclass(frozen=True)
class FixedCodes:
    """The reserved codes of the fixed ranges: RVNT12345560-99, RVNT0000-99 and the large set."""

    old: list
    first_delivery: list
    large: list


@dataclass(frozen=True)
class NumberedDelivery:
    """One of the five deliveries of 51 vouchers coded <shortcode>01k000 to <shortcode>01k050."""

    centre: object
    sponsor: object
    codes: list
    dispatched_at: object


def reserve_fixed_codes(demo):
    """Reserve the fixed code ranges before any random code is drawn, so no random code can take them."""
    shortcode = data.FIRST_DELIVERY_SHORTCODE
    old = demo.codes.numbered(shortcode, data.OLD_VOUCHER_NUMBERS, len(str(data.OLD_VOUCHER_NUMBERS.start)))
    first_delivery = demo.codes.numbered(shortcode, data.FIRST_DELIVERY_NUMBERS, data.FIRST_DELIVERY_DIGITS)
    # Trader 2 trades at market 2, which belongs to area 2; the large set uses that area's codes.
    large_count = data.LARGE_RECORDED + data.LARGE_PENDING + data.LARGE_REIMBURSED
    large = demo.codes.numbered(
        demo.sponsor(2).shortcode,
        range(data.LARGE_FIRST_NUMBER, data.LARGE_FIRST_NUMBER + large_count),
        data.LARGE_DIGITS,
    )
    return FixedCodes(old, first_delivery, large)


def plan_numbered_deliveries(demo):
    """Choose five distinct centres and reserve each one's 51 codes in its own area's shortcode."""
    planned = []
    for k, centre in enumerate(demo.rng.sample(demo.centres, data.NUMBERED_DELIVERIES)):
        sponsor = demo.sponsor_of(centre)
        first = 10_000 + 1000 * k
        codes = demo.codes.numbered(
            sponsor.shortcode, range(first, first + data.NUMBERED_DELIVERY_SIZE), data.NUMBERED_DELIVERY_DIGITS
        )
        dispatched_at = demo.ago(months=demo.rng.randint(0, 11), days=demo.rng.randint(0, 30))
        planned.append(NumberedDelivery(centre, sponsor, codes, dispatched_at))
    return planned


def add_vouchers(demo, fixed_codes, numbered_deliveries):
    add_old_vouchers(demo, fixed_codes.old)
    add_random_printed_vouchers(demo)
    add_first_delivery(demo, fixed_codes.first_delivery)
    add_pending_vouchers_for_trader_1(demo)
    for planned in numbered_deliveries:
        add_numbered_delivery(demo, planned)


def add_old_vouchers(demo, codes):
    """Add RVNT12345560-99, created before the first delivery date so that traders may take them undelivered.

    RVNT12345561 is recorded by trader 1; RVNT12345570-73 await payment on request
    ``auuidforpendingvouchers`` and RVNT12345574-75 were paid on request ``auuidforpaidvouchers``, both
    from trader 3.
    """
    sponsor = demo.sponsor(1)
    rolf = Actor.of(demo.market_user("rolf@example.org"))
    greta = demo.market_user("greta@example.org")
    admin = Actor.of(demo.admin)

    pending_at = demo.ago(days=2)
    pending_token = demo.add(
        StateToken(uuid=data.PENDING_TOKEN, user_id=greta.id, created_at=pending_at, updated_at=pending_at)
    )
    paid_at = demo.ago(days=5)
    payout_at = demo.ago(days=1)
    paid_token = demo.add(
        StateToken(
            uuid=data.PAID_TOKEN,
            user_id=greta.id,
            admin_user_id=demo.admin.id,
            created_at=paid_at,
            updated_at=payout_at,
        )
    )

    greta = Actor.of(greta)
    for number, code in zip(data.OLD_VOUCHER_NUMBERS, codes):
        moves, trader = [], None
        if number == data.RECORDED_OLD_VOUCHER:
            moves, trader = [Move("collect", rolf, demo.ago(days=1))], demo.trader(1)
        elif number in data.PENDING_OLD_VOUCHERS:
            moves = [
                Move("collect", greta, pending_at - timedelta(days=1)),
                Move("confirm", greta, pending_at, pending_token.id),
            ]
            trader = demo.trader(3)
        elif number in data.REIMBURSED_OLD_VOUCHERS:
            moves = [
                Move("collect", greta, paid_at - timedelta(days=1)),
                Move("confirm", greta, paid_at, paid_token.id),
                Move("payout", admin, payout_at),
            ]
            trader = demo.trader(3)
        demo.vouchers.add(
            code, sponsor.id, data.OLD_VOUCHERS_CREATED_AT, moves=moves, trader_id=trader.id if trader else None
        )


def add_random_printed_vouchers(demo):
    rng = demo.rng
    for _ in range(data.RANDOM_PRINTED_VOUCHERS):
        sponsor = rng.choice(demo.sponsors)
        (code,) = demo.codes.random_block(sponsor.shortcode)
        demo.vouchers.add(code, sponsor.id, demo.ago(days=rng.randint(0, 60)))


def add_first_delivery(demo, codes):
    """Add RVNT0000-RVNT0099, dispatched to centre 1 in one delivery a month ago."""
    dispatched_at = demo.ago(months=1)
    delivery = demo.add(
        Delivery(
            centre_id=demo.centre(1).id,
            range=f"{codes[0]}-{codes[-1]}",
            dispatched_at=dispatched_at,
            created_at=dispatched_at,
            updated_at=dispatched_at,
        )
    )
    dispatch = [Move("dispatch", Actor.of(demo.admin), dispatched_at)]
    for code in codes:
        demo.vouchers.add(
            code, demo.sponsor(1).id, dispatched_at - timedelta(days=7), moves=dispatch, delivery_id=delivery.id
        )


def add_pending_vouchers_for_trader_1(demo):
    """Add 50 vouchers that trader 1 collected and asked payment for, one day apart, four months ago.

    Each voucher went out in its own delivery to a centre of its area, and was confirmed in its own
    payment request, because each one moved on a different day.
    """
    rng = demo.rng
    trader = demo.trader(1)
    rolf = demo.market_user("rolf@example.org")
    admin = Actor.of(demo.admin)
    created_at = demo.ago(months=4)
    sponsors_with_centres = [sponsor for sponsor in demo.sponsors if demo.centres_of(sponsor)]

    for day in range(data.PENDING_VOUCHERS_FOR_TRADER_1):
        sponsor = rng.choice(sponsors_with_centres)
        (code,) = demo.codes.random_block(sponsor.shortcode)
        dispatched_at = created_at + timedelta(days=day, hours=1)
        collected_at = dispatched_at + STEP_BETWEEN_STATES
        confirmed_at = collected_at + STEP_BETWEEN_STATES

        delivery = demo.add(
            Delivery(
                centre_id=rng.choice(demo.centres_of(sponsor)).id,
                range=f"{code}-{code}",
                dispatched_at=dispatched_at,
                created_at=dispatched_at,
                updated_at=dispatched_at,
            )
        )
        token = demo.add(
            StateToken(uuid=_random_uuid(rng), user_id=rolf.id, created_at=confirmed_at, updated_at=confirmed_at)
        )
        moves = [
            Move("dispatch", admin, dispatched_at),
            Move("collect", Actor.of(rolf), collected_at),
            Move("confirm", Actor.of(rolf), confirmed_at, token.id),
        ]
        demo.vouchers.add(code, sponsor.id, created_at, moves=moves, delivery_id=delivery.id, trader_id=trader.id)


def add_numbered_delivery(demo, planned):
    delivery = demo.add(
        Delivery(
            centre_id=planned.centre.id,
            range=f"{planned.codes[0]} - {planned.codes[-1]}",
            dispatched_at=planned.dispatched_at,
            created_at=planned.dispatched_at,
            updated_at=planned.dispatched_at,
        )
    )
    dispatch = [Move("dispatch", Actor.of(demo.admin), planned.dispatched_at)]
    created_at = planned.dispatched_at - timedelta(days=7)
    for code in planned.codes:
        demo.vouchers.add(code, planned.sponsor.id, created_at, moves=dispatch, delivery_id=delivery.id)


def add_large_set(demo, codes):
    """Add 11,000 vouchers for trader 2, all moved two months ago: 1,000 recorded, 5,000 awaiting payment, 5,000 paid.

    They arrived in one delivery to a centre of their area, and were confirmed in two payment requests,
    one of which staff have paid.
    """
    trader = demo.trader(2)
    brian = demo.market_user("brian@example.org")
    admin = Actor.of(demo.admin)
    sponsor = demo.sponsor(2)
    collected_at = demo.ago(months=2)
    confirmed_at = collected_at + timedelta(minutes=10)
    paid_at = collected_at + timedelta(days=7)
    dispatched_at = collected_at - timedelta(days=7)

    delivery = demo.add(
        Delivery(
            centre_id=demo.centres_of(sponsor)[0].id,
            range=f"{codes[0]} - {codes[-1]}",
            dispatched_at=dispatched_at,
            created_at=dispatched_at,
            updated_at=dispatched_at,
        )
    )
    pending_token = demo.add(
        StateToken(uuid=_random_uuid(demo.rng), user_id=brian.id, created_at=confirmed_at, updated_at=confirmed_at)
    )
    paid_token = demo.add(
        StateToken(
            uuid=_random_uuid(demo.rng),
            user_id=brian.id,
            admin_user_id=demo.admin.id,
            created_at=confirmed_at,
            updated_at=paid_at,
        )
    )

    dispatch = Move("dispatch", admin, dispatched_at)
    collect = Move("collect", Actor.of(brian), collected_at)
    recorded = [dispatch, collect]
    pending = [dispatch, collect, Move("confirm", Actor.of(brian), confirmed_at, pending_token.id)]
    reimbursed = [
        dispatch,
        collect,
        Move("confirm", Actor.of(brian), confirmed_at, paid_token.id),
        Move("payout", admin, paid_at),
    ]
    histories = [recorded] * data.LARGE_RECORDED + [pending] * data.LARGE_PENDING + [reimbursed] * data.LARGE_REIMBURSED
    created_at = dispatched_at - timedelta(days=7)
    for code, moves in zip(codes, histories, strict=True):
        demo.vouchers.add(code, sponsor.id, created_at, moves=moves, delivery_id=delivery.id, trader_id=trader.id)


def _random_uuid(rng):
    """Return a version 4 UUID drawn from ``rng``, so the same seed gives the same payment request ids."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
