// Pieces the agreement screens share: status tags, kind labels, and the rendered text of an agreement.
import {
  AGREEMENT_KIND_LABELS,
  AGREEMENT_STATUS_LABELS,
  type AgreementKind,
  type AgreementStatus,
} from '../../../src/domain/agreements.js';
import type { AgreementDetail } from '../../../src/contract/ops/agreements.js';
import { Tag, type TagColour } from '../../components/Tag.js';

const STATUS_COLOURS: Readonly<Record<AgreementStatus, TagColour>> = {
  draft: 'grey',
  current: 'green',
  due_for_review: 'yellow',
  expired: 'red',
  superseded: 'grey',
  terminated: 'red',
};

export function StatusTag({ status }: { status: AgreementStatus }) {
  return <Tag colour={STATUS_COLOURS[status]}>{AGREEMENT_STATUS_LABELS[status]}</Tag>;
}

export const kindLabel = (kind: AgreementKind) => AGREEMENT_KIND_LABELS[kind];

/** The agreement's own words: sections, the expectations table (membership), and the statement. */
export function AgreementText({ agreement }: { agreement: AgreementDetail }) {
  return (
    <div className="app-agreement-text" data-testid="agreement-text">
      {agreement.sections.map((s, i) => (
        <section key={i} aria-labelledby={`section-${i}`}>
          <h3 className="govuk-heading-s" id={`section-${i}`}>
            {s.heading}
          </h3>
          {s.body.split('\n').map((p, j) => (
            <p className="govuk-body" key={j}>
              {p}
            </p>
          ))}
        </section>
      ))}
      {agreement.expectations.length > 0 && (
        <div className="app-table-scroll" role="region" aria-label="Member expectations" tabIndex={0}>
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--s">Member expectations</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                {['Partner', 'Department', 'Responsibilities', 'Officer level'].map((h) => (
                  <th scope="col" className="govuk-table__header" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {agreement.expectations.map((r, i) => (
                <tr className="govuk-table__row" key={i}>
                  <td className="govuk-table__cell">{r.partner}</td>
                  <td className="govuk-table__cell">{r.department}</td>
                  <td className="govuk-table__cell">
                    <ul className="govuk-list govuk-list--bullet">
                      {r.responsibilities.map((x, j) => (
                        <li key={j}>{x}</li>
                      ))}
                    </ul>
                  </td>
                  <td className="govuk-table__cell">{r.officerLevel}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="govuk-body-l app-agreement-statement" data-testid="agreement-statement">
        {agreement.statement}
      </p>
    </div>
  );
}
