// A case's notes, newest first, and the form that adds one (special category and closed-meeting-only
// marked as it is written).
import { useState } from 'react';
import type { CaseDetail } from '../../../src/contract/ops/cases.js';
import { mayMarkClosedOnly } from '../../../src/domain/access.js';
import { userMayCall, useSession } from '../../session.js';
import { Button } from '../../components/Button.js';
import { Checkbox, Select, TextArea } from '../../components/form.js';
import { Tag } from '../../components/Tag.js';
import { Timeline } from '../../components/Timeline.js';
import { NOTE_CLASSIFICATION_LABELS } from '../../lib/labels.js';
import { useOperationForm } from '../../lib/use-operation-form.js';
import { Prose } from './Section.js';

type Note = CaseDetail['notes'][number];

export function Notes({ detail, onAdded }: { detail: CaseDetail; onAdded: (note: Note) => void }) {
  const { user } = useSession();
  const [body, setBody] = useState('');
  const [classification, setClassification] = useState<Note['classification']>('free_text');
  const [closedOnly, setClosedOnly] = useState(false);
  const form = useOperationForm('cases.addNote', { prefix: 'note', ids: { closedOnly: 'note-closed-only' }, fallback: 'body' });

  const submit = form.onSubmit(async () => {
    const sent = await form.send({ caseId: detail.id, body, classification, closedOnly });
    if (!sent.ok) return;
    setBody('');
    setClosedOnly(false);
    setClassification('free_text');
    onAdded(sent.value.note);
  });

  return (
    <>
      {userMayCall(user, 'cases.addNote') && (
        <form noValidate onSubmit={submit} className="app-inline-form">
          {form.summary}
          <TextArea
            id="note-body"
            label="Add a note"
            labelSize="s"
            rows={3}
            value={body}
            onChange={setBody}
            error={form.errors['note-body']}
          />
          <Select
            id="note-classification"
            label="Kind of information"
            value={classification}
            onChange={setClassification}
            error={form.errors['note-classification']}
            options={Object.entries(NOTE_CLASSIFICATION_LABELS).map(([value, label]) => ({
              value: value as Note['classification'],
              label,
            }))}
          />
          {detail.closedOnly ? (
            <p className="govuk-hint">Notes on this case are closed meeting only, as the case is.</p>
          ) : (
            mayMarkClosedOnly(user.role) && (
              <Checkbox
                id="note-closed-only"
                label="Closed meeting only"
                hint="Only statutory partners will see it"
                checked={closedOnly}
                onChange={setClosedOnly}
                error={form.errors['note-closed-only']}
              />
            )
          )}
          <Button type="submit" variant="secondary" disabled={form.busy}>
            Add note
          </Button>
        </form>
      )}
      {detail.notes.length === 0 ? (
        <p className="govuk-body app-muted">No notes yet.</p>
      ) : (
        <Timeline
          label="Notes, newest first"
          items={detail.notes.map((n) => ({
            key: n.id,
            title: (
              <>
                Note
                {n.classification === 'special_category' && (
                  <>
                    {' '}
                    <Tag colour="orange">Special category</Tag>
                  </>
                )}
                {n.closedOnly && (
                  <>
                    {' '}
                    <Tag colour="purple">Closed meeting only</Tag>
                  </>
                )}
              </>
            ),
            byline: n.author.displayName,
            at: n.at,
            description: <Prose text={n.body} />,
          }))}
        />
      )}
    </>
  );
}
