"""Natural order for names with Chinese numbers: 第一片区, 第二片区, 第三片区… 第十一片区.

Sorted as text, 三 (U+4E09) comes before 二 (U+4E8C): 第一、第三、第二. natural_key reads the
numbers (Chinese or Arabic) so that they sort by value.
"""

import re

from django import forms

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
NUMBER = re.compile(r"[零〇一二两三四五六七八九十百]+|\d+")


def chinese_number(text):
    """一 → 1, 十 → 10, 十一 → 11, 二十三 → 23, 一百零五 → 105; Arabic digits as they are."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in DIGITS:
            current = DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def natural_key(name):
    parts = []
    position = 0
    for match in NUMBER.finditer(str(name)):
        parts.append((0, str(name)[position : match.start()], chinese_number(match[0])))
        position = match.end()
    parts.append((1, str(name)[position:], 0))
    return parts


def natural_sorted(items, key=str):
    return sorted(items, key=lambda item: natural_key(key(item)))


class NaturalOrderIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in natural_sorted(self.queryset, key=self.field.label_from_instance):
            yield self.choice(obj)


class NaturalOrderModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose choices are in natural order (第一、第二、第三…)."""

    iterator = NaturalOrderIterator
