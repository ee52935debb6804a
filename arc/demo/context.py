"""The state shared by the steps that build the demo data: the random generator, the clock and the rows so far."""

import functools
from dataclasses import dataclass, field
from datetime import datetime

from dateutil.relativedelta import relativedelta

from arc.demo import data
from arc.demo.history import VoucherCodes, VoucherWriter
from arc.users import passwords


@dataclass
class DemoContext:
    """Rows made so far, in creation order, so later steps can refer to "centre 12" or "trader 3"."""

    rng: object
    now: datetime
    session: object
    codes: VoucherCodes = None
    vouchers: VoucherWriter = None
    sponsors: list = field(default_factory=list)
    centres: list = field(default_factory=list)
    centre_users: list = field(default_factory=list)
    market_users: list = field(default_factory=list)
    markets: list = field(default_factory=list)
    traders: list = field(default_factory=list)
    admin: object = None
    # The next family number of each centre, by centre id.
    centre_sequences: dict = field(default_factory=dict)

    def __post_init__(self):
        self.codes = self.codes or VoucherCodes(self.rng)
        self.vouchers = self.vouchers or VoucherWriter(self.session)

    def add(self, instance):
        self.session.add(instance)
        self.session.flush()
        return instance

    def sponsor(self, position):
        return self.sponsors[position - 1]

    def centre(self, position):
        return self.centres[position - 1]

    def trader(self, position):
        return self.traders[position - 1]

    def centre_user(self, email):
        return next(user for user in self.centre_users if user.email == email)

    def market_user(self, email):
        return next(user for user in self.market_users if user.email == email)

    def ago(self, **delta):
        """Return the load time moved back by a ``relativedelta`` (``months=1``, ``weeks=2``...)."""
        return self.now - relativedelta(**delta)

    def start_of_day(self, moment):
        return datetime(moment.year, moment.month, moment.day)

    def person_name(self, surname=None):
        return f"{self.rng.choice(data.FIRST_NAMES)} {surname or self.rng.choice(data.SURNAMES)}"

    def next_centre_sequence(self, centre):
        sequence = self.centre_sequences.get(centre.id, 1)
        self.centre_sequences[centre.id] = sequence + 1
        return sequence

    def sponsor_of(self, centre):
        return next(sponsor for sponsor in self.sponsors if sponsor.id == centre.sponsor_id)

    def centres_of(self, sponsor):
        return [centre for centre in self.centres if centre.sponsor_id == sponsor.id]


@functools.lru_cache(maxsize=None)
def password_hash(plain):
    """Return one bcrypt hash per demo password; hashing each login separately only costs time."""
    return passwords.hash_password(plain)
