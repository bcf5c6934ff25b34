import { useEffect, useRef, type ReactNode } from 'react';

/**
 * GOV.UK notification banner. 'important' for things to know (the tamper warning), 'success' after an
 * action; `focus` moves focus to it when it appears, for results the user just asked for.
 */
export function NotificationBanner({
  type = 'important',
  title,
  heading,
  children,
  focus = false,
  id,
}: {
  /** 'warning' is 'important' in red: for what must not be missed (the tamper warning). */
  type?: 'important' | 'success' | 'warning';
  title?: string;
  heading: ReactNode;
  children?: ReactNode;
  focus?: boolean;
  id?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  const titleId = `${id ?? type}-banner-title`;
  return (
    <div
      ref={ref}
      id={id}
      className={[
        'govuk-notification-banner',
        type === 'success' ? 'govuk-notification-banner--success' : '',
        type === 'warning' ? 'app-notification-banner--warning' : '',
      ].join(' ')}
      role={type === 'success' ? 'alert' : 'region'}
      aria-labelledby={titleId}
      tabIndex={focus ? -1 : undefined}
    >
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id={titleId}>
          {title ?? (type === 'success' ? 'Success' : type === 'warning' ? 'Warning' : 'Important')}
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">{heading}</p>
        {children}
      </div>
    </div>
  );
}
