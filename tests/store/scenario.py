"""Store portal test data: families with carers and children, and the usual areas, centres and workers.

Import the fixtures into a test module with ``from tests.store.scenario import store_world``.
The world has two Standard areas. Northshire has the centres Elm Street (ELMS) and Oak Lane (OAKL),
and Westmoor has Pine Road (PINE). The workers are Rosa (Elm Street), Dev (Elm Street, downloader),
Fran (foodmatters user and downloader, Elm Street), Nina (Oak Lane) and Uma (Pine Road).
"""

from dataclasses import dataclass
from datetime import datetime

import pytest

from arc import clock
from arc.centres.models import centre_centre_user
from arc.extensions import db
from arc.registrations.models import Carer, Child, Family, Registration
from arc.registrations.operations import lock_family_to_centre
from arc.sponsors.models import Evaluation
from tests import factories


def add(instance):
    db.session.add(instance)
    db.session.flush()
    return instance


def make_family_registration(
    centre,
    carers=("Tess Ward",),
    children=(),
    hsbs="healthy-start-applying",
    nrpf="no",
    leaving_on=None,
    rejoin_on=None,
    leaving_reason=None,
    created_at=None,
    eligible_from=None,
):
    """Register a family at ``centre``; ``children`` are dates of birth or ``dict(dob=..., verified=...)``."""
    family = add(Family(leave_amount=1 if leaving_on else 0, leaving_on=leaving_on, rejoin_on=rejoin_on,
                        leaving_reason=leaving_reason))
    lock_family_to_centre(family, centre)
    for name in carers:
        add(Carer(family=family, name=name))
    for child in children:
        values = child if isinstance(child, dict) else {"dob": child}
        dob = values["dob"]
        if not isinstance(dob, datetime):
            dob = datetime(dob.year, dob.month, 1)
        add(Child(family=family, **{"born": dob.date() <= clock.today(), **values, "dob": dob}))
    registration = add(
        Registration(
            family=family,
            centre_id=centre.id,
            eligibility_hsbs=hsbs,
            eligibility_nrpf=nrpf,
            consented_on=clock.now(),
            created_at=created_at or clock.now(),
            eligible_from=eligible_from,
        )
    )
    db.session.refresh(family)
    return registration


def link_centre(user, centre, home=False):
    db.session.execute(
        centre_centre_user.insert().values(centre_user_id=user.id, centre_id=centre.id, homeCentre=home)
    )
    db.session.expire(user)


def add_rules(sponsor, rows):
    """Store evaluation rows ``(name, entity, purpose, value)`` for an area, in order."""
    for name, entity, purpose, value in rows:
        add(Evaluation(sponsor_id=sponsor.id, name=name, entity=f"App\\{entity}", purpose=purpose, value=value))
    db.session.expire(sponsor)


def log_in(client, user):
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] != "/login"
    return client


@dataclass
class StoreWorld:
    northshire: object
    westmoor: object
    elm: object
    oak: object
    pine: object
    rosa: object
    dev: object
    fran: object
    nina: object
    uma: object


@pytest.fixture
def store_world(db):
    northshire = factories.make_sponsor(name="Northshire")
    westmoor = factories.make_sponsor(name="Westmoor")
    elm = factories.make_centre(northshire, name="Elm Street", prefix="ELMS")
    oak = factories.make_centre(northshire, name="Oak Lane", prefix="OAKL")
    pine = factories.make_centre(westmoor, name="Pine Road", prefix="PINE")
    return StoreWorld(
        northshire=northshire,
        westmoor=westmoor,
        elm=elm,
        oak=oak,
        pine=pine,
        rosa=factories.make_centre_user(elm, name="Rosa", email="rosa@example.org"),
        dev=factories.make_centre_user(elm, name="Dev", email="dev@example.org", downloader=True),
        fran=factories.make_centre_user(elm, role="foodmatters_user", name="Fran", email="fran@example.org", downloader=True),
        nina=factories.make_centre_user(oak, name="Nina", email="nina@example.org"),
        uma=factories.make_centre_user(pine, name="Uma", email="uma@example.org"),
    )
