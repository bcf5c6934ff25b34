// A case's profile: its people, referral, risk, lifecycle, notes, linked cases and locations, each
// section in its own module. Opening it is a consultation, logged with the working context.
import { useState } from 'react';
import { userMayCall, useSession } from '../../session.js';
import { useNavigate } from '../../navigation.js';
import { Button } from '../../components/Button.js';
import { NotificationBanner } from '../../components/NotificationBanner.js';
import { PageHeading } from '../../components/PageHeading.js';
import { Tag } from '../../components/Tag.js';
import { STATUS_COLOURS, personName } from '../../lib/format.js';
import { statusLabel } from '../../lib/labels.js';
import { useCase } from '../../lib/use-case.js';
import { RefusalMessage } from '../RefusalMessage.js';
import { CaseMeetings } from '../meetings/CaseMeetings.js';
import { CaseEnforcement } from '../enforcement/CaseEnforcement.js';
import { CaseEscalations } from '../enforcement/CaseEscalations.js';
import { CaseTriggers } from '../triggers/CaseTriggers.js';
import { CaseDetails } from './Details.js';
import { Lifecycle } from './Lifecycle.js';
import { Links } from './Links.js';
import { Notes } from './Notes.js';
import { Release } from './Release.js';
import { Section } from './Section.js';

const CONTENTS = ['Details', 'People', 'Risk assessment', 'Lifecycle', 'Notes', 'Linked cases', 'Locations'];
const sectionId = (title: string) => `section-${title.toLowerCase().replace(/ /g, '-')}`;

export function CasePage({ caseId }: { caseId: number }) {
  const { user } = useSession();
  const navigate = useNavigate();
  const loaded = useCase(caseId);
  const [done, setDone] = useState<string | null>(null);

  const back = (
    <p className="govuk-body">
      <button type="button" className="app-link-button app-back-link" onClick={() => navigate({ name: 'cases' })}>
        Back to cases
      </button>
    </p>
  );

  if (loaded.error) {
    return (
      <>
        {back}
        <PageHeading>Case</PageHeading>
        <RefusalMessage error={loaded.error} onSetContext={loaded.giveContext} onRetry={() => void loaded.reload()} />
      </>
    );
  }
  if (!loaded.detail) {
    return (
      <>
        {back}
        <p className="govuk-body" role="status">
          Loading the case…
        </p>
      </>
    );
  }

  const c = loaded.detail;
  return (
    <>
      {back}
      {done && <NotificationBanner key={done} type="success" heading={done} focus id="case-done" />}
      <div className="app-heading-row">
        <PageHeading caption="Case">
          {c.reference} <Tag colour={STATUS_COLOURS[c.status]}>{statusLabel(c.status)}</Tag>
          {c.closedOnly && (
            <>
              {' '}
              <Tag colour="purple">Closed meeting only</Tag>
            </>
          )}
        </PageHeading>
        {userMayCall(user, 'cases.update') && (
          <Button variant="secondary" onClick={() => navigate({ name: 'case-edit', caseId: c.id })}>
            Edit case
          </Button>
        )}
        {userMayCall(user, 'cases.erase') && (
          <Button variant="warning" onClick={() => navigate({ name: 'case-erase', caseId: c.id })}>
            Erase case<span className="govuk-visually-hidden"> {c.reference}</span>
          </Button>
        )}
      </div>

      <nav className="app-contents" aria-label="On this page">
        <ul className="govuk-list app-contents__list">
          {CONTENTS.map((s) => (
            <li key={s}>
              <a
                href={`#${sectionId(s)}`}
                onClick={(e) => {
                  e.preventDefault();
                  document.getElementById(sectionId(s))?.focus();
                }}
              >
                {s}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          {/* The banner waits for the case as it now is, so what it announces is already on screen. */}
          <CaseDetails
            detail={c}
            onPersonSaved={(person) => {
              void loaded.reload().then(() => setDone(`The details of ${personName(person)} were saved`));
            }}
          />
        </div>

        <div className="govuk-grid-column-one-half">
          <Section id="lifecycle" title="Lifecycle">
            <Lifecycle
              detail={c}
              onChanged={(next, message) => {
                loaded.replace(next);
                setDone(message);
              }}
            />
          </Section>
          <Section id="notes" title="Notes">
            <Notes
              detail={c}
              onAdded={(note) => {
                loaded.replace({ ...c, notes: [note, ...c.notes] });
                setDone('Note added');
              }}
            />
          </Section>
          <Section id="linked-cases" title="Linked cases">
            <Links
              detail={c}
              onLinked={(link) => {
                loaded.replace({ ...c, links: [...c.links, link] });
                setDone(`Linked to ${link.reference}`);
              }}
            />
          </Section>
          {c.closedOnly && userMayCall(user, 'cases.releaseClosedOnly') && (
            <Section id="closed-only-mark" title="Closed-only mark">
              <Release
                detail={c}
                onReleased={(next, message) => {
                  loaded.replace(next);
                  setDone(message);
                }}
              />
            </Section>
          )}
          <CaseMeetings caseId={c.id} />
          <CaseEnforcement caseId={c.id} />
          {userMayCall(user, 'escalations.list') && <CaseEscalations caseId={c.id} />}
          {userMayCall(user, 'triggers.list') && <CaseTriggers caseId={c.id} reference={c.reference} />}
        </div>
      </div>
    </>
  );
}
