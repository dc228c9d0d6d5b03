"""The staff area at ``/admin``: accounts, roles, sign-in sessions, CSRF protection, audit log.

This package is the foundation other staff pages plug into. To add a page group:

1. Write a module here (say ``inbox.py``) with endpoints guarded by
   :func:`bot.staff.guard.requires`, e.g. ``@requires(Role.COUNSELLOR)``
   (admins always pass; ``@requires()`` lets in any signed-in staff member),
   and a ``routes() -> list[BaseRoute]`` with paths relative to ``/admin``
   (``Route("/inbox", inbox_page)`` serves ``/admin/inbox``).
2. Add ``*inbox.routes()`` to the mount in :func:`bot.staff.routes.staff_routes`,
   and a :class:`bot.staff.navigation.Section` (title, path, roles,
   description) to :data:`bot.staff.navigation.SECTIONS`: the navigation and the
   start page show it to the roles that may use it.
3. Render pages with ``render(request, "inbox.html", {...})`` from
   :mod:`bot.staff.pages`; templates go to ``bot/staff/templates`` and extend
   ``base.html`` (blocks ``title``, ``content``, ``head``), static files
   (CSS, JS; no inline scripts or styles, the CSP forbids them) to
   ``bot/staff/static``, served at ``/admin/static/``.
4. Every POST/PUT/PATCH/DELETE under ``/admin`` must carry the session's CSRF
   token: ``{{ csrf_field() }}`` inside each form, or the ``x-csrf-token``
   header for fetch (``wegweiserStaff.fetch(url, options)`` in ``staff.js``
   adds it). Read forms with :func:`bot.staff.forms.read_form`.
5. Record every change: ``await audit_log(request).record(current_user(request).name,
   "inbox.claim", target, detail)`` (:mod:`bot.staff.audit`, :mod:`bot.staff.identity`).

The state store (``request.app.state.assistant.store``, or
:func:`bot.staff.identity.store`) holds everything, so every worker sees the
same accounts and sessions, also on Redis. Namespaces: ``staff:accounts``,
``staff:sessions``, ``staff:login-failures``, ``staff:audit``.
"""
