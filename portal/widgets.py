"""A <select> written in Python (issue 14).

Django renders each <option> of a Select through a template include; a filter form with a
hundred buildings (or the district's 300 neighbourhoods) spent most of its page's time
there. QuickSelect writes the same HTML (the same attributes, selected option and
optgroups as django/forms/widgets/select.html) directly.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A single-choice Select; options straight from self.choices (no per-option dict)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        attrs = self.build_attrs(self.attrs, attrs)
        parts = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        state = {"selected": False}

        def option(option_value, label):
            text = "" if option_value is None else str(option_value)
            selected = not state["selected"] and text in chosen
            state["selected"] = state["selected"] or selected
            return format_html(
                '<option value="{}"{}>{}</option>', text, " selected" if selected else "", label
            )

        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts.extend(option(v, text) for v, text in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 (every part escaped by format_html)


def use_quick_selects(form):
    """Give every plain Select of a form (after its choices are set) a QuickSelect."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            quick = QuickSelect(attrs=field.widget.attrs)
            quick.choices = field.widget.choices
            quick.is_required = field.widget.is_required
            field.widget = quick
