"""Work in progress."""


def get_checks() -> list:
    return []
