// A paragraph with its closed-only spans shown in the text: each span is highlighted, bordered and
// labelled "Closed only", so the mark does not rest on colour. Text is rendered as text, never as HTML.
import { toSegments, type Span } from './spans.js';

export function ClosedText({
  text,
  spans,
  className = 'govuk-body app-prose',
}: {
  text: string;
  spans: readonly Span[];
  className?: string;
}) {
  return (
    <p className={className}>
      {toSegments(text, spans).map((seg, i) =>
        seg.closedOnly ? (
          <mark key={i} className="app-closed-span" data-closed-span="">
            <span className="app-closed-span__label">Closed only:</span>
            {seg.text}
          </mark>
        ) : (
          <span key={i}>{seg.text}</span>
        ),
      )}
    </p>
  );
}
