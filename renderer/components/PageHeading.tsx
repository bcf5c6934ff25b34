import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The page's h1. It takes focus when the screen opens, so keyboard and screen-reader users start at the
 * top of the new content instead of on a control that no longer exists.
 */
export function PageHeading({ children, caption, size = 'l' }: { children: ReactNode; caption?: ReactNode; size?: 'l' | 'xl' | 'm' }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, []);
  return (
    <div className="app-page-heading-block">
      {caption && <span className="govuk-caption-m">{caption}</span>}
      <h1 className={`govuk-heading-${size} app-page-heading`} tabIndex={-1} ref={ref}>
        {children}
      </h1>
    </div>
  );
}
