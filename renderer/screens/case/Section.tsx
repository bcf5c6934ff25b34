// The parts every section of a case profile is made of.
import type { ReactNode } from 'react';

/** A section the contents list can move focus to: its heading is the target. */
export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="app-section" aria-labelledby={`section-${id}`}>
      <h2 className="govuk-heading-m" id={`section-${id}`} tabIndex={-1}>
        {title}
      </h2>
      {children}
    </section>
  );
}

/** Free text as paragraphs, never as HTML. */
export function Prose({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n{2,}/).map((p, i) => (
        <p key={i} className="govuk-body app-prose">
          {p}
        </p>
      ))}
    </>
  );
}
