"""The web service: ``main.create_app`` (app factory), one router per resource, jinja2 templates (Chinese UI)."""
