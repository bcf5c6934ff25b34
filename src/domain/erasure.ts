// Erasure's pure rules: how an erased person or case is named afterwards, what the confirmation must
// repeat, and rewriting a text with the erased identifiers replaced while keeping offsets into it (the
// closed-only spans of a minutes paragraph) pointing at the same words.
import { foldString, mergeSpans, type RedactionSpan } from './redaction.js';

/** "E-0007": the erasure's number, the only thing that ties the pseudonym to its record. */
export function erasureCode(erasureId: number): string {
  return `E-${String(erasureId).padStart(4, '0')}`;
}

/** "Person erased 2026-11-30 (E-0007)", or "(E-0007/2)" for the second of several people in one erasure. */
export function erasurePseudonym(kind: 'person' | 'case', erasureId: number, day: string, index?: number): string {
  const code = index === undefined ? erasureCode(erasureId) : `${erasureCode(erasureId)}/${index}`;
  return `${kind === 'person' ? 'Person' : 'Case'} erased ${day} (${code})`;
}

/** What a person's erasure must be confirmed with: their full name as the screens show it. */
export function personConfirmation(person: { givenName: string; familyName: string }): string {
  return `${person.givenName.trim()} ${person.familyName.trim()}`;
}

/** The typed confirmation matches, ignoring case, accents and runs of spaces. */
export function confirmationMatches(typed: string, expected: string): boolean {
  const norm = (s: string) => foldString(s).replace(/\s+/g, ' ').trim();
  return norm(typed) === norm(expected) && norm(expected) !== '';
}

/** The replacement for a span: the pseudonym for a name or alias, a plain marker for any other identifier. */
export function erasedReplacement(span: RedactionSpan): string {
  return (span.reason === 'name' || span.reason === 'alias') && span.subject ? span.subject : '[erased]';
}

export interface Rewritten {
  text: string;
  /** Where an offset of the old text lands in the new one; an offset inside a replaced span moves to its edge. */
  mapStart(offset: number): number;
  mapEnd(offset: number): number;
}

export function rewrite(text: string, found: readonly RedactionSpan[], replace = erasedReplacement): Rewritten {
  const spans = mergeSpans(found).map((span) => ({ ...span, replacement: replace(span) }));
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + span.replacement;
    at = span.end;
  }
  out += text.slice(at);
  const map = (offset: number, edge: 'start' | 'end') => {
    let delta = 0;
    for (const span of spans) {
      if (offset <= span.start) break;
      if (offset < span.end) return span.start + delta + (edge === 'start' ? 0 : span.replacement.length);
      delta += span.replacement.length - (span.end - span.start);
    }
    return offset + delta;
  };
  return { text: out, mapStart: (o) => map(o, 'start'), mapEnd: (o) => map(o, 'end') };
}
