// A bar chart drawn as SVG, with no chart library (none may be added to the project). Readable without
// colour: every bar carries its value, series differ by lightness and by pattern (so they survive
// greyscale printing), and the same figures are always one click away as a table. The SVG is one image
// to assistive technology, named by the caption and summarised; the table is the way to read it in full.
import { useId, type ReactNode } from 'react';
import { Table } from './Table.js';

export interface Series {
  name: string;
  values: readonly (number | null)[];
}

/** Fills from darkest to lightest; the third and fourth also get a pattern. */
const FILLS = ['#0b0c0c', '#1d70b8', '#85b4de', '#ffffff'] as const;
const PATTERNS = [null, null, 'hatch', 'dots'] as const;

const HEIGHT = 220;
const TOP = 20;
const BOTTOM = 36;
const LEFT = 8;
const BAR_GAP = 4;
const GROUP_GAP = 24;

export function BarChart({
  caption,
  categories,
  series,
  unit = '',
  max,
  summary,
}: {
  caption: string;
  categories: readonly string[];
  series: readonly Series[];
  unit?: string;
  /** The top of the scale (e.g. 100 for percentages); otherwise the largest value. */
  max?: number;
  summary?: ReactNode;
}) {
  const id = useId().replace(/:/g, '');
  const bar = series.length > 2 ? 22 : 32;
  const barsWidth = series.length * bar + (series.length - 1) * BAR_GAP;
  // Wide enough for the longest period label (about 8 px a character at 14 px), so labels never overlap.
  const groupWidth = Math.max(barsWidth, 8 + 8 * Math.max(0, ...categories.map((c) => c.length)));
  const width = LEFT * 2 + categories.length * groupWidth + (categories.length - 1) * GROUP_GAP;
  const top = Math.max(max ?? 0, ...series.flatMap((s) => s.values.map((v) => v ?? 0)), 1);
  const plot = HEIGHT - TOP - BOTTOM;
  const fill = (i: number) => (PATTERNS[i % 4] ? `url(#${id}-p${i % 4})` : FILLS[i % 4]);
  const format = (v: number | null) => (v === null ? '–' : `${v}${unit}`);

  return (
    <figure className="app-chart">
      <figcaption className="govuk-heading-s">{caption}</figcaption>
      {series.length > 1 && (
        <ul className="app-chart__legend" aria-hidden="true">
          {series.map((s, i) => (
            <li key={s.name}>
              <svg width="16" height="16" viewBox="0 0 16 16" focusable="false">
                <rect x="0.5" y="0.5" width="15" height="15" fill={fill(i)} stroke="#0b0c0c" />
              </svg>{' '}
              {s.name}
            </li>
          ))}
        </ul>
      )}
      <div className="app-chart__scroll" tabIndex={0} role="region" aria-label={`${caption}, scrollable`}>
        <svg
          role="img"
          aria-labelledby={`${id}-title`}
          viewBox={`0 0 ${width} ${HEIGHT}`}
          width={width}
          height={HEIGHT}
          className="app-chart__svg"
          focusable="false"
        >
          <title id={`${id}-title`}>
            {caption}:{' '}
            {categories
              .map(
                (c, ci) =>
                  `${c}: ${series.map((s) => (series.length > 1 ? `${s.name} ${format(s.values[ci] ?? null)}` : format(s.values[ci] ?? null))).join(', ')}`,
              )
              .join('; ')}
          </title>
          <defs>
            <pattern id={`${id}-p2`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="6" height="6" fill={FILLS[2]} />
              <line x1="0" y1="0" x2="0" y2="6" stroke="#0b0c0c" strokeWidth="2" />
            </pattern>
            <pattern id={`${id}-p3`} width="6" height="6" patternUnits="userSpaceOnUse">
              <rect width="6" height="6" fill={FILLS[3]} />
              <circle cx="3" cy="3" r="1.4" fill="#0b0c0c" />
            </pattern>
          </defs>
          <line x1={0} x2={width} y1={HEIGHT - BOTTOM} y2={HEIGHT - BOTTOM} stroke="#0b0c0c" strokeWidth="2" />
          {categories.map((category, ci) => {
            const x0 = LEFT + ci * (groupWidth + GROUP_GAP);
            return (
              <g key={category}>
                {series.map((s, si) => {
                  const v = s.values[ci] ?? null;
                  const h = v === null ? 0 : Math.round(((v > 0 ? v : 0) / top) * plot);
                  const x = x0 + (groupWidth - barsWidth) / 2 + si * (bar + BAR_GAP);
                  const y = HEIGHT - BOTTOM - h;
                  return (
                    <g key={s.name}>
                      {h > 0 && <rect x={x} y={y} width={bar} height={h} fill={fill(si)} stroke="#0b0c0c" strokeWidth="1" />}
                      <text x={x + bar / 2} y={y - 4} textAnchor="middle" className="app-chart__value">
                        {format(v)}
                      </text>
                    </g>
                  );
                })}
                <text x={x0 + groupWidth / 2} y={HEIGHT - BOTTOM + 18} textAnchor="middle" className="app-chart__label">
                  {category}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
      {summary}
      <details className="govuk-details">
        <summary className="govuk-details__summary">
          <span className="govuk-details__summary-text">{caption}: as a table</span>
        </summary>
        <div className="govuk-details__text">
          <Table<number>
            caption={<span className="govuk-visually-hidden">{caption}</span>}
            rows={categories.map((_, i) => i)}
            rowKey={(i) => i}
            columns={[
              { header: 'Period', cell: (i) => categories[i] },
              ...series.map((s) => ({ header: s.name, numeric: true, cell: (i: number) => format(s.values[i] ?? null) })),
            ]}
          />
        </div>
      </details>
    </figure>
  );
}
