"""allauth's email verification stage with this site's rule: an email address is the
person's only once they have proved it.

ACCOUNT_EMAIL_VERIFICATION stays "optional" because many residents sign up and sign in with
a mobile number only (no email to verify) and staff by username. Verification is mandatory
whenever the email is what the sign-in rests on:

- signing in by email: the address must be verified on that account, else nobody is signed
  in and the verification mail is sent again (the only mail an unverified address gets);
- signing up with an email and no mobile number: not signed in until the link in the mail is
  followed. This also makes a sign-up with an address someone has verified answer exactly as
  a new one ("we sent you an email"), the owner getting allauth's "account already exists"
  mail instead (enumeration prevention);
- signing up with a mobile number and an email: the code sent to the number is the proof
  (allauth's phone stage runs first); the email is sent its verification link and stays
  unverified, so unused, until it is followed.
"""

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.stages import EmailVerificationStage as AllauthEmailVerificationStage


def email_verification_for(login):
    user = login.user
    if login.signup:
        has_phone = bool(login.phone) if user is None else bool(user.phone or user.pending_phone)
        return EmailVerificationMethod.OPTIONAL if has_phone else EmailVerificationMethod.MANDATORY
    if login.email:
        return EmailVerificationMethod.MANDATORY
    return EmailVerificationMethod.OPTIONAL


class EmailVerificationStage(AllauthEmailVerificationStage):
    def handle(self):
        self.login.email_verification = email_verification_for(self.login)
        return super().handle()
