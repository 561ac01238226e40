"""Guides' questions: asking, answering, and the staff's queue of questions waiting."""

from django.db import transaction

from portal.queries import first_and_total

from ..models import GuideQuestion


def question_ask(*, guide, asker, text):
    """A question on a guide, with the asker's neighbourhood (where they live, or work):
    on a district-wide guide it is that neighbourhood's staff who answer it."""
    return GuideQuestion.objects.create(
        guide=guide, asker=asker, text=text, neighbourhood=asker.home_neighbourhood
    )


@transaction.atomic
def question_answer(*, question, by, answer):
    question.record_answer(by=by, answer=answer)  # tells the asker (notices.messages)
    return question


def question_queue(user):
    """Unanswered questions the user answers (GuideQuestion.objects.answerable_by), oldest
    first, with what the list shows in the same query."""
    return (
        GuideQuestion.objects.answerable_by(user)
        .waiting()
        .select_related("guide", "asker", "neighbourhood")
        .order_by("created", "pk")
    )


def my_questions(user):
    """The person's own questions for /me/: waiting ones, then answered ones, newest first."""
    return (
        GuideQuestion.objects.filter(asker=user)
        .select_related("guide")
        .order_by("-answered_at", "-created")
    )


STAFF_HOME_QUESTIONS = 3


def questions_home_context(user):
    """For /staff/: how many questions wait for the user's answer, and the oldest few."""
    questions, total = first_and_total(question_queue(user), STAFF_HOME_QUESTIONS)
    return {"waiting_questions": questions, "waiting_questions_count": total}
