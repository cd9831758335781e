"""The coordinators' browser console at /console: pages rendered on the server (aiohttp-jinja2)
with htmx for partial updates, vendored in ``static/`` (no build step, nothing fetched from
elsewhere). Vietnamese first, English complete; usable from 390 px wide up.

How it fits together:

- ``app.py`` builds the /console sub-application from ``pages()``, the page modules.
- ``visit.py`` is the guard. A handler written as ``async def f(visit: Visit) -> Response``
  and registered through ``page(f)`` runs only for a signed-in coordinator or admin, with
  ``visit.scope`` (the units they may act on), ``visit.db`` (one transaction, committed after
  the handler unless it fails), ``visit._`` (the translator) and ``visit.actor`` (for the
  audit log). ``page(f, admin=True)`` is for admins only. POST requests are checked for the
  same origin and the session's CSRF token before the handler runs.
- ``render.py``: ``render(visit, "name.html", **values)`` fills a template from
  ``templates/`` that extends ``base.html`` (navigation, language switch, sign-out).

To add a page:

1. Write ``bot/console/pages/NAME.py`` with ``ROUTES = (ConsoleRoute("GET", "/NAME",
   page(show)), ...)`` (paths are under /console) and ``NAV = (NavEntry("/console/NAME",
   N_("Label")),)`` (``admin=True`` to show it to admins only; ``()`` for no entry).
2. Add the module to ``pages()`` in ``app.py``.
3. Templates: ``templates/NAME.html`` starting ``{% extends "base.html" %}`` and filling
   ``{% block content %}``. Text goes through ``{{ _("English text") }}``; run
   ``make catalog`` and fill both locales (babel.cfg extracts the templates too; a plural
   is made in Python with ``_.plural`` and passed in, as extraction does not see it there).
   A table: build a ``tables.Table``, show it with ``{{ table(t, export_url(t)) }}``
   (``{% from "table.html" import table with context %}``), and answer ``requested(visit,
   [t])`` first in the handler: the table then exports to Excel as shown.
4. A form: ``<form method="post" action="/console/NAME">{{ csrf_field() }} …</form>``; htmx
   requests carry the token in a header set once on ``<body>`` (base.html). A file upload is
   ``enctype="multipart/form-data"`` with ``csrf_field()`` before the file input; the handler
   reads the rest from ``visit.form_parts``. A filter form that refreshes part of its page
   as one types: ``hx-get`` with ``hx-select``/``hx-target`` on the part (officials.html).
5. Scope: never load a unit or an official by a number from the URL or a form directly; use
   ``visit.unit(id)`` / ``visit.official_in_scope(id)``, which answer 404 for anything outside the
   scope (the same as for what does not exist) and put the refusal on the audit log. Queries
   over many rows narrow with ``visit.scope.clause()`` (storage/access.py). Every route is
   crawled by tests/console/test_scope.py with another commune's ids; a new path parameter
   (``{course}``) needs such an id there, and the test says so.
6. Everything a coordinator changes goes on the audit log (storage/audit.record with
   ``visit.actor``), in ``visit.db``'s transaction.
"""
