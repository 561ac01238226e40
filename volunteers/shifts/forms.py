from django import forms

from ..models import ShiftSignup


class AttendanceForm(forms.Form):
    signup = forms.IntegerField()
    attendance = forms.ChoiceField(choices=ShiftSignup.Attendance.choices)
