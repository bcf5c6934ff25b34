import type { ReactNode } from 'react';

export interface TimelineItem {
  key: string | number;
  title: ReactNode;
  byline?: ReactNode;
  /** ISO date-time. */
  at: string;
  description?: ReactNode;
}

const formatter = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** The MOJ timeline pattern: newest first, each event with who and when. */
export function Timeline({ items, label }: { items: readonly TimelineItem[]; label: string }) {
  return (
    <ol className="app-timeline" aria-label={label}>
      {items.map((item) => (
        <li className="app-timeline__item" key={item.key}>
          <div className="app-timeline__header">
            <h3 className="app-timeline__title">{item.title}</h3>
            {item.byline && <p className="app-timeline__byline">by {item.byline}</p>}
          </div>
          <p className="app-timeline__date">
            <time dateTime={item.at}>{formatter.format(new Date(item.at))}</time>
          </p>
          {item.description && <div className="app-timeline__description">{item.description}</div>}
        </li>
      ))}
    </ol>
  );
}
