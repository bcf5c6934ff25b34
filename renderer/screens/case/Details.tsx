// What is known about a case: the referral, the people it is about (whose details can be changed here),
// the risk assessment and the places linked to it.
import { useState } from 'react';
import type { CaseDetail } from '../../../src/contract/ops/cases.js';
import type { Person } from '../../../src/contract/ops/people.js';
import { HARM_KINDS } from '../../../src/domain/risk.js';
import { useNavigate } from '../../navigation.js';
import { userMayCall, useSession } from '../../session.js';
import { Button } from '../../components/Button.js';
import { SummaryList } from '../../components/SummaryList.js';
import { Table } from '../../components/Table.js';
import { Tag } from '../../components/Tag.js';
import { RISK_COLOURS, formatDate, personName } from '../../lib/format.js';
import { CONSENT_LABELS, HARM_LABELS, RISK_LABELS, concernText, outcomeLabel, statusLabel } from '../../lib/labels.js';
import { PersonDialog } from '../PersonDialog.js';
import { Prose, Section } from './Section.js';

export function CaseDetails({ detail: c, onPersonSaved }: { detail: CaseDetail; onPersonSaved: (person: Person) => void }) {
  const { user } = useSession();
  const navigate = useNavigate();
  const [editingPerson, setEditingPerson] = useState<Person | null>(null);
  return (
    <>
      <Section id="details" title="Details">
        <SummaryList
          rows={[
            {
              key: 'Status',
              value: (
                <>
                  {statusLabel(c.status)}
                  {c.outcome && `: ${outcomeLabel(c.outcome)}`}
                </>
              ),
            },
            { key: 'Area', value: c.area },
            { key: 'Concerns', value: c.concerns.map(concernText).join(', ') },
            {
              key: 'Review date',
              value: (
                <>
                  {formatDate(c.reviewDate)}
                  {c.reviewOverdue && (
                    <>
                      {' '}
                      <Tag colour="red">Overdue</Tag>
                    </>
                  )}
                </>
              ),
            },
            { key: 'Referred by', value: [c.referral.organisation, c.referral.officer].filter(Boolean).join(', ') },
            { key: 'Referral date', value: formatDate(c.referral.date) },
            { key: 'Reason for referral', value: <Prose text={c.referral.reason} /> },
            { key: 'Consent', value: CONSENT_LABELS[c.referral.consent] },
            {
              key: 'Already supported',
              value: c.alreadySupported
                ? `${c.alreadySupported.service} (${c.alreadySupported.decision === 'discuss' ? 'discuss here' : 'do not discuss here'})`
                : 'No',
            },
            { key: 'Summary', value: c.summary ? <Prose text={c.summary} /> : 'None' },
            { key: 'Recorded', value: `${formatDate(c.createdAt)} by ${c.createdBy.displayName}` },
          ]}
        />
      </Section>

      <Section id="people" title="People">
        {c.subjects.map((p) => (
          <div key={p.id} className="app-person">
            <div className="app-heading-row">
              <h3 className="govuk-heading-s">{personName(p)}</h3>
              {userMayCall(user, 'people.update') && (
                <Button variant="link" onClick={() => setEditingPerson(p)}>
                  Change details<span className="govuk-visually-hidden"> of {personName(p)}</span>
                </Button>
              )}
              {userMayCall(user, 'people.subjectAccess') && (
                <Button
                  variant="link"
                  onClick={() => navigate({ name: 'subject-access', personId: p.id, personName: personName(p), caseId: c.id })}
                >
                  Subject access<span className="govuk-visually-hidden"> pack for {personName(p)}</span>
                </Button>
              )}
              {userMayCall(user, 'people.erase') && (
                <Button variant="link" onClick={() => navigate({ name: 'case-erase', caseId: c.id, personId: p.id })}>
                  Erase<span className="govuk-visually-hidden"> {personName(p)}</span>
                </Button>
              )}
            </div>
            <SummaryList
              rows={[
                ...(p.aliases.length ? [{ key: 'Also known as', value: p.aliases.join(', ') }] : []),
                { key: 'Date of birth', value: p.dateOfBirth ? formatDate(p.dateOfBirth) : 'Not known' },
                ...(p.addresses.length
                  ? [
                      {
                        key: 'Addresses',
                        value: (
                          <ul className="govuk-list">
                            {p.addresses.map((a, i) => (
                              <li key={i}>
                                {[a.line1, a.line2, a.town, a.postcode].filter(Boolean).join(', ')}
                                {a.current ? '' : ' (previous)'}
                              </li>
                            ))}
                          </ul>
                        ),
                      },
                    ]
                  : []),
                ...(p.identifiers.length
                  ? [{ key: 'References', value: p.identifiers.map((i) => `${i.scheme}: ${i.value}`).join('; ') }]
                  : []),
                ...(p.contacts.length ? [{ key: 'Contact', value: p.contacts.map((x) => x.value).join('; ') }] : []),
                ...(p.household.length
                  ? [{ key: 'Household', value: p.household.map((h) => `${h.name} (${h.relationship.replace(/_/g, ' ')})`).join('; ') }]
                  : []),
              ]}
            />
          </div>
        ))}
        {editingPerson && (
          <PersonDialog
            editing={editingPerson}
            onCancel={() => setEditingPerson(null)}
            onSaved={(person) => {
              setEditingPerson(null);
              onPersonSaved(person);
            }}
          />
        )}
      </Section>

      <Section id="risk-assessment" title="Risk assessment">
        <SummaryList
          rows={[
            { key: 'Overall', value: <Tag colour={RISK_COLOURS[c.risk.overall]}>{RISK_LABELS[c.risk.overall]}</Tag> },
            ...HARM_KINDS.map((k) => ({ key: HARM_LABELS[k], value: RISK_LABELS[c.risk[k]] })),
            {
              key: 'Vulnerability factors',
              value: c.risk.vulnerabilityFactors.length ? c.risk.vulnerabilityFactors.join('; ') : 'None recorded',
            },
            { key: 'Reasons', value: c.risk.reasons ? <Prose text={c.risk.reasons} /> : 'None recorded' },
            { key: 'Assessed', value: `${formatDate(c.risk.assessedOn)} by ${c.risk.assessedBy.displayName}` },
          ]}
        />
      </Section>

      <Section id="locations" title="Locations">
        <Table
          caption={<span className="govuk-visually-hidden">Locations linked to this case</span>}
          rows={c.locations}
          rowKey={(l) => l.id}
          empty="No locations linked."
          columns={[
            { header: 'Place', cell: (l) => l.label },
            { header: 'Address', cell: (l) => l.address },
            { header: 'Postcode', cell: (l) => l.postcode ?? '' },
            { header: 'Ward', cell: (l) => l.ward ?? '' },
          ]}
        />
      </Section>
    </>
  );
}
