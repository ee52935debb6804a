"""Operator tasks behind the ``flask --app wsgi arc`` commands: areas, centres, admin users,
duplicate voucher codes and the voucher archive.

Write functions flush and never commit; the command commits.
"""

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class Operator:
    """The person running a command, named by their login on the server, as the actor in log lines."""

    login: str

    @property
    def id(self):
        return f"operator {self.login}"


def current_operator():
    return Operator(getpass.getuser())
