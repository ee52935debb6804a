"""The demo data set: documented logins for each kind of user, areas, families and vouchers to try the service with.

``loader.load_demo_data`` builds it from a seeded random generator; ``flask arc demo-data`` runs it.
"""
