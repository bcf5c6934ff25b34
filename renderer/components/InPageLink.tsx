import type { ReactNode } from 'react';
import { focusById } from './focus.js';

/** An in-page link that focuses its target; the href is kept so it reads and behaves as a link. */
export function InPageLink({ target, className, children }: { target: string; className?: string; children: ReactNode }) {
  return (
    <a
      href={`#${target}`}
      className={className}
      onClick={(event) => {
        event.preventDefault();
        focusById(target);
      }}
    >
      {children}
    </a>
  );
}
