"""Test data for the admin voucher, delivery and payment pages: vouchers moved along the state machine."""

import itertools
import re
from html.parser import HTMLParser

import sqlalchemy as sa

from arc.extensions import db
from arc.payments.models import StateToken
from arc.vouchers import states
from arc.vouchers.models import Voucher, VoucherState
from tests import factories

_uuids = itertools.count(1)

# The moves that bring a printed voucher to each state, one transition at a time.
ROUTES = {
    "printed": [],
    "dispatched": ["dispatch"],
    "recorded": ["dispatch", "collect"],
    "payment_pending": ["dispatch", "collect", "confirm"],
    "reimbursed": ["dispatch", "collect", "confirm", "payout"],
}


def make_vouchers(sponsor, codes, state="printed", actor=None, **fields):
    """Create printed vouchers with these codes, then move each to ``state`` with real history rows."""
    made = [factories.make_voucher(code=code, sponsor=sponsor, **fields) for code in codes]
    for voucher in made:
        move(voucher, ROUTES[state], actor)
    return made


def move(voucher, transitions, actor=None, state_token=None):
    for transition in transitions:
        token = state_token if transition == "confirm" else None
        states.apply(voucher, transition, actor or states.Actor.nobody(), state_token=token)


def make_request(vouchers, user, trader, uuid=None, created_at=None):
    """Confirm recorded (or printed) vouchers for ``trader`` into one new payment request by ``user``."""
    token = StateToken(uuid=uuid or f"test-request-{next(_uuids)}", user_id=user.id if user else None)
    if created_at is not None:
        token.created_at = created_at
    db.session.add(token)
    db.session.flush()
    for voucher in vouchers:
        voucher.trader_id = trader.id
        remaining = ROUTES["payment_pending"][len(ROUTES.get(voucher.currentstate, [])):]
        move(voucher, remaining, user, state_token=token)
    return token


def state_of(code):
    return db.session.scalar(sa.select(Voucher.currentstate).where(Voucher.code == code))


def states_by_code():
    return dict(db.session.execute(sa.select(Voucher.code, Voucher.currentstate)).all())


def history_of(code):
    return db.session.scalars(
        sa.select(VoucherState).join(Voucher).where(Voucher.code == code).order_by(VoucherState.id)
    ).all()


def text_of(response):
    return response.get_data(as_text=True)


def flashed_text(client, path="/"):
    """Return the page at ``path``, which shows the messages flashed by the previous request."""
    return text_of(client.get(path))


class Element:
    """An HTML element of a parsed page: its tag, attributes and the text inside it."""

    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parts = []

    @property
    def text(self):
        return re.sub(r"\s+", " ", "".join(self.parts)).strip()

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()


class Page(HTMLParser):
    """A parsed HTML page whose elements can be looked up by tag and attributes."""

    VOID_TAGS = {"input", "br", "meta", "link", "img", "hr"}

    def __init__(self, html):
        super().__init__()
        self.elements = []
        self._open = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs)
        self.elements.append(element)
        if tag not in self.VOID_TAGS:
            self._open.append(element)

    def handle_endtag(self, tag):
        for position in range(len(self._open) - 1, -1, -1):
            if self._open[position].tag == tag:
                del self._open[position:]
                return

    def handle_data(self, data):
        for element in self._open:
            element.parts.append(data)

    def find_all(self, tag, **attrs):
        """Return the elements with ``tag`` whose attributes have these values (``class_`` for one class)."""
        wanted_class = attrs.pop("class_", None)
        found = []
        for element in self.elements:
            if element.tag != tag:
                continue
            if wanted_class is not None and wanted_class not in element.classes:
                continue
            if all(element.attrs.get(name.replace("_", "-")) == value for name, value in attrs.items()):
                found.append(element)
        return found

    def find(self, tag, **attrs):
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def texts(self, tag, **attrs):
        return [element.text for element in self.find_all(tag, **attrs)]


def page_of(response):
    return Page(text_of(response))


def cell_texts(response):
    """Return the text of every table cell (td and th) of a response's page."""
    page = page_of(response)
    return page.texts("td") + page.texts("th")
