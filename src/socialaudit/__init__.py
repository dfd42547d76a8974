"""socialaudit: find the social media marketing mistakes a brand makes, with its own data as proof.

Library first: everything the command line does is a function here.

    from socialaudit.workspace import Workspace
    from socialaudit.sources import import_path
    from socialaudit.audit import run_audit

    ws = Workspace.open("my-brand")
    import_path(ws, "twcs.csv")
    result = run_audit(ws)
"""

__version__ = "0.1.0"
