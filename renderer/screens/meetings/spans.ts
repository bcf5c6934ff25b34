// Closed-only spans inside a paragraph, as character ranges [start, end) of its text. The minute-taker
// edits plain text in a textarea; these keep each marked range on the same words while the text around
// it changes, so a keystroke never moves a mark onto words that were not marked.
export interface Span {
  start: number;
  end: number;
}

/** Sorted, non-empty, non-overlapping (touching spans are joined). */
export function normalise(spans: readonly Span[], length: number): Span[] {
  const clipped = spans
    .map((s) => ({ start: Math.max(0, Math.min(s.start, length)), end: Math.max(0, Math.min(s.end, length)) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of clipped) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/**
 * The spans after `before` became `after` by one contiguous edit (what a keystroke, a paste or a cut
 * does): the changed region is found from the common prefix and suffix; spans before it stay, spans
 * after it shift, and a span the edit falls inside grows or shrinks with it.
 */
export function rebase(spans: readonly Span[], before: string, after: string): Span[] {
  if (before === after || spans.length === 0) return normalise(spans, after.length);
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  const oldEnd = before.length - suffix;
  const delta = after.length - before.length;
  const newEnd = oldEnd + delta;
  // Whatever replaces marked text stays marked, and typing at the very end of a marked range extends it:
  // when unsure, a mark covers more, never less.
  const moved = spans.map((s) => ({
    start: s.start >= oldEnd ? s.start + delta : Math.min(s.start, prefix),
    end: s.end > prefix ? (s.end >= oldEnd ? s.end + delta : newEnd) : s.end === prefix && prefix === oldEnd ? s.end + delta : s.end,
  }));
  return normalise(moved, after.length);
}

export function mark(spans: readonly Span[], range: Span, length: number): Span[] {
  return normalise([...spans, range], length);
}

export function unmark(spans: readonly Span[], range: Span, length: number): Span[] {
  const out: Span[] = [];
  for (const s of normalise(spans, length)) {
    if (s.end <= range.start || s.start >= range.end) out.push(s);
    else {
      if (s.start < range.start) out.push({ start: s.start, end: range.start });
      if (s.end > range.end) out.push({ start: range.end, end: s.end });
    }
  }
  return out;
}

/** Whether every character of the range is already marked. */
export function covered(spans: readonly Span[], range: Span): boolean {
  return spans.some((s) => s.start <= range.start && s.end >= range.end);
}

export interface Segment {
  text: string;
  closedOnly: boolean;
}

export function toSegments(text: string, spans: readonly Span[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const s of normalise(spans, text.length)) {
    if (s.start > at) out.push({ text: text.slice(at, s.start), closedOnly: false });
    out.push({ text: text.slice(s.start, s.end), closedOnly: true });
    at = s.end;
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at), closedOnly: false });
  return out;
}

export function fromSegments(segments: readonly Segment[]): { text: string; spans: Span[] } {
  let text = '';
  const spans: Span[] = [];
  for (const seg of segments) {
    if (seg.closedOnly) spans.push({ start: text.length, end: text.length + seg.text.length });
    text += seg.text;
  }
  return { text, spans: normalise(spans, text.length) };
}

/** The contract trims paragraph text: trim here first and move the spans with it, so they stay on their words. */
export function trimWithSpans(text: string, spans: readonly Span[]): { text: string; spans: Span[] } {
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  return {
    text: trimmed,
    spans: normalise(
      spans.map((s) => ({ start: s.start - lead, end: s.end - lead })),
      trimmed.length,
    ),
  };
}
