"""Helpers for the admin page tests of workers, centres, areas, markets and traders.

A small HTML tree for checking labels, errors and table cells, and the three kinds of visitor that
must not get into the admin portal.
"""

from html.parser import HTMLParser

from arc.extensions import db
from tests.conftest import SERVICE_HOST, STORE_HOST
from tests.factories import PASSWORD

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = {name: value if value is not None else "" for name, value in attrs}
        self.parent = parent
        self.children = []

    @property
    def text(self):
        return " ".join(" ".join(child.text if isinstance(child, Element) else child for child in self.children).split())

    def select(self, tag=None, **attrs):
        """Return the descendants with this tag (any if None) whose attributes match.

        ``class_`` matches one class among several; ``for_`` stands for ``for``.
        """
        found = []
        for child in self.children:
            if not isinstance(child, Element):
                continue
            if child._matches(tag, attrs):
                found.append(child)
            found.extend(child.select(tag, **attrs))
        return found

    def _matches(self, tag, attrs):
        if tag is not None and self.tag != tag:
            return False
        for name, value in attrs.items():
            name = name.rstrip("_")
            if name == "class":
                if value not in self.attrs.get("class", "").split():
                    return False
            elif self.attrs.get(name) != value:
                return False
        return True

    def one(self, tag=None, **attrs):
        found = self.select(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("document", [])
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(response):
    """Return the HTML tree of a response's body."""
    builder = _TreeBuilder()
    builder.feed(response.get_data(as_text=True))
    return builder.root


def field_errors(response, field_id):
    """Return the error texts shown under the input with this id."""
    return [label.text for label in parse(response).select("label", role="alert", for_=field_id)]


def heading(response):
    return parse(response).one("h1").text


def label_text(response, field_id):
    return [label.text for label in parse(response).select("label", for_=field_id) if label.attrs.get("role") != "alert"]


def use_centre_session(service_client, store_client, worker):
    """Log a centre worker in on the store host and send the same session cookie to the service host."""
    response = store_client.post("/login", data={"email": worker.email, "password": PASSWORD})
    assert response.status_code == 302
    cookie = store_client.get_cookie("arc_session", domain=STORE_HOST)
    service_client.set_cookie("arc_session", cookie.value, domain=SERVICE_HOST)
    return service_client


def assert_sent_to_login(response):
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def add(instance):
    """Add a row the factories cannot make (such as a worker with no centre) and flush."""
    db.session.add(instance)
    db.session.flush()
    return instance
