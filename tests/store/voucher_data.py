"""Test data for the voucher manager, printouts and exports: the areas, centres, workers and families of the examples.

Areas: Northshire (Standard, shortcode RVZ) with centres Elm Street and Oak Lane; Westmoor (shortcode
RVA) with Pine Road; Riverside (Social Prescribing, shortcode RSP) with Quay House. Workers: Rosa
(Elm Street), Dev (Elm Street, downloader), Fran (foodmatters user and downloader, Elm Street),
Nina (Oak Lane) and Uma (Pine Road).
"""

from dataclasses import dataclass
from datetime import date, datetime

from arc.centres.models import centre_centre_user
from arc.entitlement import social_prescribing
from arc.extensions import db
from arc.registrations.models import Bundle, Carer, Child, Family, Registration
from arc.sponsors.models import Evaluation
from tests import factories
from tests.conftest import STORE_HOST

ENTITY_NAMES = {"Child": "App\\Child", "Family": "App\\Family"}


def _add(instance):
    db.session.add(instance)
    db.session.flush()
    return instance


def make_family(centre, carer_names=("Tess Ward",), dobs=(), sequence=None, **fields):
    """Return a family locked to ``centre`` with these carers (first = main carer) and child rows.

    ``dobs`` are dates or ``(date, {child fields})`` pairs.
    """
    if sequence is None:
        sequence = db.session.scalar(
            db.select(db.func.coalesce(db.func.max(Family.centre_sequence), 0)).where(Family.initial_centre_id == centre.id)
        ) + 1
    family = _add(Family(initial_centre_id=centre.id, centre_sequence=sequence, **fields))
    for name in carer_names:
        _add(Carer(name=name, family_id=family.id))
    for dob in dobs:
        dob, child_fields = dob if isinstance(dob, tuple) else (dob, {})
        _add(Child(family_id=family.id, dob=datetime.combine(dob, datetime.min.time()), **child_fields))
    db.session.refresh(family)
    return family


def make_registration(centre, carer_names=("Tess Ward",), dobs=(), family_fields=None, **fields):
    family = make_family(centre, carer_names, dobs, **(family_fields or {}))
    fields.setdefault("consented_on", datetime(2024, 1, 8, 10, 0))
    registration = _add(Registration(family_id=family.id, centre_id=centre.id, **fields))
    db.session.refresh(registration)
    return registration


def make_bundle(registration, entitlement=4, **fields):
    return _add(Bundle(registration_id=registration.id, entitlement=entitlement, **fields))


def make_vouchers(sponsor, codes, state="dispatched", **fields):
    return [factories.make_voucher(code=code, sponsor=sponsor, currentstate=state, **fields) for code in codes]


def link_user(user, centre, home=False):
    db.session.execute(
        centre_centre_user.insert().values(centre_user_id=user.id, centre_id=centre.id, homeCentre=home)
    )
    db.session.expire(user)


def add_rules(sponsor, overrides):
    for override in overrides:
        _add(
            Evaluation(
                sponsor_id=sponsor.id,
                name=override.name,
                entity=ENTITY_NAMES.get(override.entity, override.entity),
                purpose=override.purpose,
                value=override.value,
            )
        )
    db.session.expire(sponsor)


@dataclass
class World:
    northshire: object
    westmoor: object
    riverside: object
    elm: object
    oak: object
    pine: object
    quay: object
    rosa: object
    dev: object
    fran: object
    nina: object
    uma: object


def make_world():
    northshire = factories.make_sponsor(shortcode="RVZ", name="Northshire")
    westmoor = factories.make_sponsor(shortcode="RVA", name="Westmoor")
    riverside = factories.make_sponsor(shortcode="RSP", name="Riverside", programme=1)
    add_rules(riverside, social_prescribing())
    elm = factories.make_centre(northshire, name="Elm Street", prefix="ELMS")
    oak = factories.make_centre(northshire, name="Oak Lane", prefix="OAKL")
    pine = factories.make_centre(westmoor, name="Pine Road", prefix="PINE")
    quay = factories.make_centre(riverside, name="Quay House", prefix="QUAY")
    return World(
        northshire=northshire,
        westmoor=westmoor,
        riverside=riverside,
        elm=elm,
        oak=oak,
        pine=pine,
        quay=quay,
        rosa=factories.make_centre_user(elm, name="Rosa Lind", email="rosa@example.org"),
        dev=factories.make_centre_user(elm, name="Dev Patel", email="dev@example.org", downloader=True),
        fran=factories.make_centre_user(
            elm, role="foodmatters_user", name="Fran Hale", email="fran@example.org", downloader=True
        ),
        nina=factories.make_centre_user(oak, name="Nina Osei", email="nina@example.org"),
        uma=factories.make_centre_user(pine, name="Uma Reyes", email="uma@example.org"),
    )


def log_in(client, user):
    """Log ``user`` into the store with ``client``; returns the client."""
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def new_store_client(app, user):
    """Return another store client, logged in as ``user``."""
    from tests.conftest import _client_for

    return log_in(_client_for(app, STORE_HOST), user)


def monday_of(day):
    return date.fromordinal(day.toordinal() - day.weekday())
