// Membership and information-sharing agreements: what status a signed paper is in on a given day, what
// counts as a signature, and the one canonical JSON a seal is computed over. Pure: the service, the
// renderer and the PDF writer all ask this module, so the screen and the store never disagree.
import { addDays } from './risk.js';

export const AGREEMENT_KINDS = ['membership', 'information_sharing'] as const;
export type AgreementKind = (typeof AGREEMENT_KINDS)[number];

export const AGREEMENT_KIND_LABELS: Readonly<Record<AgreementKind, string>> = {
  membership: 'Membership agreement',
  information_sharing: 'Information-sharing agreement',
};

export const AGREEMENT_STATUSES = ['draft', 'current', 'due_for_review', 'expired', 'superseded', 'terminated'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

export const AGREEMENT_STATUS_LABELS: Readonly<Record<AgreementStatus, string>> = {
  draft: 'Draft',
  current: 'Signed (current)',
  due_for_review: 'Due for review',
  expired: 'Expired',
  superseded: 'Superseded',
  terminated: 'Terminated',
};

/** The facts a status is read from; none of them is ever changed once the agreement is signed. */
export interface AgreementFacts {
  signedAt: string | null;
  /** The day the partnership should look at it again (it stays current until it expires). */
  reviewDate: string | null;
  /** The last day it is in force. */
  validUntil: string | null;
  terminatedAt: string | null;
  /** A later signed version for the same organisation and kind. */
  supersededBy: number | null;
}

/**
 * Terminated and superseded win over dates: an ended agreement does not come back by being in date.
 * Boundaries: due for review from the review date itself; expired from the day after `validUntil`.
 */
export function agreementStatus(facts: AgreementFacts, today: string): AgreementStatus {
  if (facts.signedAt === null) return 'draft';
  if (facts.terminatedAt !== null) return 'terminated';
  if (facts.supersededBy !== null) return 'superseded';
  if (facts.validUntil !== null && today > facts.validUntil) return 'expired';
  if (facts.reviewDate !== null && today >= facts.reviewDate) return 'due_for_review';
  return 'current';
}

/** In force: signed, not ended, not expired. An agreement past its review date is still in force. */
export function isInForce(status: AgreementStatus): boolean {
  return status === 'current' || status === 'due_for_review';
}

/** Whether an in-force agreement should be on the "due for review within N days" list on `today`. */
export function isDueForReviewWithin(facts: AgreementFacts, today: string, days: number): boolean {
  const status = agreementStatus(facts, today);
  return isInForce(status) && facts.reviewDate !== null && facts.reviewDate <= addDays(today, days);
}

/** Calendar months on an ISO date; the 31st lands on the last day of a shorter month. */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}

/** Review and expiry dates counted from the day of signing. */
export function termDates(signedOn: string, reviewAfterMonths: number, validForMonths: number): { reviewDate: string; validUntil: string } {
  return { reviewDate: addMonths(signedOn, reviewAfterMonths), validUntil: addDays(addMonths(signedOn, validForMonths), -1) };
}

// ── signatures ────────────────────────────────────────────────────────────────────────────────────────

export interface SignaturePoint {
  x: number;
  y: number;
  time?: number | undefined;
  pressure?: number | undefined;
}

export interface DrawnSignature {
  method: 'drawn';
  strokes: readonly { points: readonly SignaturePoint[] }[];
  width: number;
  height: number;
  png: string;
}

export interface TypedSignature {
  method: 'typed';
  typedName: string;
  attestation: true;
}

export type Signature = DrawnSignature | TypedSignature;

/** Fewer points than this is a tap or a dot, not a signature. */
export const SIGNATURE_MIN_POINTS = 10;
/** A drawn path shorter than this (in canvas pixels, all strokes together) is a tick or a smudge. */
export const SIGNATURE_MIN_PATH = 80;

export function pathLength(signature: DrawnSignature): number {
  let total = 0;
  for (const { points } of signature.strokes) {
    for (let i = 1; i < points.length; i += 1) total += Math.hypot(points[i]!.x - points[i - 1]!.x, points[i]!.y - points[i - 1]!.y);
  }
  return total;
}

/**
 * Why a signature cannot be accepted, or null. The message is shown to the person signing, so it says
 * what to do. A typed signature must be the signer's own name, attested.
 */
export function signatureProblem(signature: Signature, signerName: string): string | null {
  if (signature.method === 'typed') {
    if (normaliseName(signature.typedName) !== normaliseName(signerName))
      return "The typed signature must be the signer's name exactly as entered above";
    return null;
  }
  const points = signature.strokes.reduce((n, s) => n + s.points.length, 0);
  if (points === 0) return 'The signature is empty: sign in the box, or type your name instead';
  if (points < SIGNATURE_MIN_POINTS) return 'The signature has too few points: sign your name in full, or type your name instead';
  const outside = signature.strokes.some((s) =>
    s.points.some((p) => p.x < -1 || p.y < -1 || p.x > signature.width + 1 || p.y > signature.height + 1),
  );
  if (outside) return 'The signature has points outside its box: clear it and sign again';
  if (pathLength(signature) < SIGNATURE_MIN_PATH) return 'The signature is too short: sign your name in full, or type your name instead';
  return null;
}

function normaliseName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

// ── sealing ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * JSON with object keys sorted at every level and no whitespace (RFC 8785 in spirit): the same content
 * gives the same bytes on every machine and every run, so its SHA-256 is the seal.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no place for a non-finite number');
    return JSON.stringify(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON has no place for a ${typeof value}`);
}

/** The {group} placeholder in template text, filled with the group's name. */
export function fillTemplateText(text: string, groupName: string): string {
  return text.replaceAll('{group}', groupName);
}
