import type { ReactNode } from 'react';

export type TagColour = 'grey' | 'green' | 'turquoise' | 'blue' | 'light-blue' | 'purple' | 'pink' | 'red' | 'orange' | 'yellow';

export function Tag({ colour, children, title }: { colour?: TagColour; children: ReactNode; title?: string }) {
  return (
    <strong className={['govuk-tag', colour ? `govuk-tag--${colour}` : ''].filter(Boolean).join(' ')} title={title}>
      {children}
    </strong>
  );
}
