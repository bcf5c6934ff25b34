// Who may be admitted to a meeting (as an invited organisation or an attendee). A list of rules, each
// looking at facts the service gathered; the first refusal wins. Closed People meetings admit statutory
// partners only; the membership-agreements work adds a rule that needs a current signed agreement by
// appending to ADMISSION_RULES (and gathering `agreement` in the service).

export interface AdmissionCandidate {
  organisation: { id: number; name: string; statutory: boolean };
  /** The organisation's current signed membership agreement, where the service knows it (undefined: not checked yet). */
  agreement?: { signedOn: string; expiresOn: string | null } | null;
}

export interface AdmissionMeeting {
  closed: boolean;
  kind: 'people' | 'place';
  date: string;
}

export interface AdmissionRefusal {
  rule: string;
  message: string;
}

export type AdmissionRule = (candidate: AdmissionCandidate, meeting: AdmissionMeeting) => AdmissionRefusal | null;

export const statutoryOnlyWhenClosed: AdmissionRule = (candidate, meeting) =>
  meeting.closed && !candidate.organisation.statutory
    ? {
        rule: 'statutory_only',
        message: `${candidate.organisation.name} is not a statutory partner: a closed meeting admits statutory partners only.`,
      }
    : null;

/** Refuses only when the service looked the agreement up (agreement !== undefined) and found none current on the meeting date. */
export const currentAgreementWhenKnown: AdmissionRule = (candidate, meeting) => {
  const agreement = candidate.agreement;
  if (agreement === undefined) return null;
  const current =
    agreement !== null && agreement.signedOn <= meeting.date && (agreement.expiresOn === null || agreement.expiresOn >= meeting.date);
  return current
    ? null
    : {
        rule: 'membership_agreement',
        message: `${candidate.organisation.name} has no current signed membership agreement on ${meeting.date}.`,
      };
};

export const ADMISSION_RULES: readonly AdmissionRule[] = [statutoryOnlyWhenClosed, currentAgreementWhenKnown];

export function checkAdmission(
  candidate: AdmissionCandidate,
  meeting: AdmissionMeeting,
  rules: readonly AdmissionRule[] = ADMISSION_RULES,
): AdmissionRefusal | null {
  for (const rule of rules) {
    const refusal = rule(candidate, meeting);
    if (refusal) return refusal;
  }
  return null;
}
