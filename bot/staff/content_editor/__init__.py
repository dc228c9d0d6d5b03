"""``/admin/content``: editors change the content store in the browser (issue #8).

- :mod:`.fields` — the entries and fields staff can edit, read from the content models;
- :mod:`.edits` — a form's values written into the YAML files (German in place, translations by key);
- :mod:`.publishing` — a change tried out on a copy (check, preview) or published (write, release, revision, audit);
- :mod:`.preview` — the draft's answers rendered by the bot's own actions and renderer;
- :mod:`.problems` — the content check's problems in plain German, tied to their field;
- :mod:`.pages` and :mod:`.history` — the pages (routes in :func:`.pages.routes`).

Kept free of imports: ``python -m bot.staff.content_editor.preview`` runs in a
child process and should load no more than it needs.
"""
