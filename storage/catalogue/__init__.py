"""The unit catalogue: the official provinces and communes, plus historic and internal units.

Units form one tree of any depth; every write goes through ``tree.upsert_units``, which keeps
the materialised paths that coordinator scopes rely on.
"""
