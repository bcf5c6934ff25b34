// The unlocked application: header, navigation and the current screen, with the session services every
// screen uses. It is mounted afresh for each unlock and dropped whole on lock.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { operations, type InputOf, type OperationName, type OutputOf } from '../src/contract/operations.js';
import { needsJustification } from '../src/contract/operation.js';
import type { Api, CallOptions, Result } from './api.js';
import type { SessionStart } from './App.js';
import { Header, PageLayout, type NavItem } from './components/Layout.js';
import { NotificationBanner } from './components/NotificationBanner.js';
import { Dialog } from './components/Dialog.js';
import { TextField } from './components/form.js';
import { Button, ButtonGroup } from './components/Button.js';
import { ROLE_LABELS } from './lib/labels.js';
import { useOperationForm } from './lib/use-operation-form.js';
import { SessionContext, userMayCall, type WorkspaceSession } from './session.js';
import { NavigationContext, type Route } from './navigation.js';
import { CaseList, useCaseListState } from './screens/CaseList.js';
import { CasePage } from './screens/case/CasePage.js';
import { ErasePage } from './screens/case/Erase.js';
import { CaseFormScreen } from './screens/CaseForm.js';
import { AuditLog } from './screens/AuditLog.js';
import { Admin } from './screens/Admin.js';
import { Account } from './screens/Account.js';
import { MeetingList, type MeetingListState } from './screens/meetings/MeetingList.js';
import { MeetingPage } from './screens/meetings/MeetingPage.js';
import { MeetingForm } from './screens/meetings/MeetingForm.js';
import { MyActions } from './screens/meetings/MyActions.js';
import { Agreements } from './screens/agreements/Agreements.js';
import { AgreementView } from './screens/agreements/AgreementView.js';
import { SignAgreement } from './screens/agreements/SignAgreement.js';
import { TemplateEditor } from './screens/agreements/TemplateEditor.js';
import { EnforcementList } from './screens/enforcement/EnforcementList.js';
import { Outcomes } from './screens/enforcement/Outcomes.js';
import { Backup } from './screens/Backup.js';
import { SubjectAccess } from './screens/SubjectAccess.js';
import { Retention } from './screens/retention/Retention.js';
import { TriggerList } from './screens/triggers/TriggerList.js';
import { TriggerForm } from './screens/triggers/TriggerForm.js';
import { TriggerPage } from './screens/triggers/TriggerPage.js';
import { EscalationList } from './screens/enforcement/EscalationList.js';

interface Prompt {
  reason: 'required' | 'change';
  settle: (ok: boolean) => void;
}

export function Workspace({ api, start, onLocked }: { api: Api; start: SessionStart; onLocked: (reason: string | null) => void }) {
  const [justification, setJustification] = useState(start.justification);
  // Read by `call` when it runs, so a context set a moment ago counts without rebuilding every screen's call.
  const justificationRef = useRef(start.justification);
  justificationRef.current = justification;
  const [tamperWarning, setTamperWarning] = useState(start.tamperWarning);
  const [route, setRoute] = useState<Route>({ name: 'cases' });
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const pending = useRef<Promise<boolean> | null>(null);
  const listState = useCaseListState();
  const meetingListState = useState<MeetingListState>({ when: 'upcoming', area: '', kind: '' });
  const user = start.user;

  const ask = useCallback((reason: Prompt['reason']): Promise<boolean> => {
    // Several calls refused at once (list pages, a profile) share one question.
    pending.current ??= new Promise<boolean>((resolve) => {
      setPrompt({
        reason,
        settle: (ok) => {
          pending.current = null;
          setPrompt(null);
          resolve(ok);
        },
      });
    });
    return pending.current;
  }, []);

  const call = useCallback(
    async <N extends OperationName>(operation: N, input: InputOf<N>, options?: CallOptions): Promise<Result<OutputOf<N>>> => {
      // Asked before the call, not after a refusal: a start without a context leaves no refused entry in the log.
      if (justificationRef.current === null && needsJustification(operations[operation]) && !(await ask('required')))
        return {
          ok: false,
          error: { code: 'JUSTIFICATION_REQUIRED', message: 'Give a working context to see this.', field: 'justification' },
        };
      let result = await api.call(operation, input, options);
      if (!result.ok && result.error.code === 'JUSTIFICATION_REQUIRED' && (await ask('required')))
        result = await api.call(operation, input, options);
      if (!result.ok && result.error.code === 'LOCKED') onLocked(null);
      return result;
    },
    [api, ask, onLocked],
  );

  const lock = useCallback(() => {
    void api.call('session.lock', {}).finally(() => onLocked('user'));
  }, [api, onLocked]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'l') {
        event.preventDefault();
        lock();
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [lock]);

  const session = useMemo<WorkspaceSession>(
    () => ({
      user,
      justification,
      tamperWarning,
      call,
      lock,
      changeJustification: () => ask('change'),
      tamperAcknowledged: () => setTamperWarning(null),
    }),
    [user, justification, tamperWarning, call, lock, ask],
  );

  const navigate = useCallback((next: Route) => setRoute(next), []);
  const backupOverdue = useBackupReminder(user, call, route);
  const section =
    route.name.startsWith('case') || route.name === 'subject-access'
      ? 'cases'
      : route.name.startsWith('meeting')
        ? 'meetings'
        : route.name.startsWith('agreement')
          ? 'agreements'
          : route.name.startsWith('trigger')
            ? 'triggers'
            : route.name;
  const nav: NavItem[] = [
    { id: 'cases', label: 'Cases', current: section === 'cases', onSelect: () => navigate({ name: 'cases' }) },
    { id: 'meetings', label: 'Meetings', current: section === 'meetings', onSelect: () => navigate({ name: 'meetings' }) },
    {
      id: 'my-actions',
      label: "My organisation's actions",
      current: section === 'my-actions',
      onSelect: () => navigate({ name: 'my-actions' }),
    },
    { id: 'enforcement', label: 'Enforcement', current: section === 'enforcement', onSelect: () => navigate({ name: 'enforcement' }) },
    ...(userMayCall(user, 'outcomes.indicators')
      ? [{ id: 'outcomes', label: 'Outcomes', current: section === 'outcomes', onSelect: () => navigate({ name: 'outcomes' }) }]
      : []),
    ...(userMayCall(user, 'triggers.list')
      ? [
          {
            id: 'triggers',
            label: 'Community Triggers',
            current: section === 'triggers',
            onSelect: () => navigate({ name: 'triggers' }),
          },
        ]
      : []),
    ...(userMayCall(user, 'escalations.list')
      ? [{ id: 'escalations', label: 'Escalations', current: section === 'escalations', onSelect: () => navigate({ name: 'escalations' }) }]
      : []),
    ...(userMayCall(user, 'agreements.list')
      ? [{ id: 'agreements', label: 'Agreements', current: section === 'agreements', onSelect: () => navigate({ name: 'agreements' }) }]
      : []),
    ...(userMayCall(user, 'audit.query')
      ? [{ id: 'audit', label: 'Audit log', current: section === 'audit', onSelect: () => navigate({ name: 'audit' }) }]
      : []),
    ...(userMayCall(user, 'users.list')
      ? [{ id: 'admin', label: 'People administration', current: section === 'admin', onSelect: () => navigate({ name: 'admin' }) }]
      : []),
    ...(userMayCall(user, 'backup.create')
      ? [{ id: 'backup', label: 'Backups', current: section === 'backup', onSelect: () => navigate({ name: 'backup' }) }]
      : []),
    ...(userMayCall(user, 'retention.queue')
      ? [{ id: 'retention', label: 'Retention review', current: section === 'retention', onSelect: () => navigate({ name: 'retention' }) }]
      : []),
    { id: 'account', label: 'Your account', current: section === 'account', onSelect: () => navigate({ name: 'account' }) },
  ];

  useEffect(() => {
    const titles: Record<Route['name'], string> = {
      cases: 'Cases',
      case: 'Case',
      'case-new': 'New case',
      'case-edit': 'Edit case',
      audit: 'Audit log',
      admin: 'People administration',
      account: 'Your account',
      meetings: 'Meetings',
      meeting: 'Meeting',
      'meeting-new': 'Schedule a meeting',
      'my-actions': "My organisation's actions",
      agreements: 'Agreements',
      agreement: 'Agreement',
      'agreement-sign': 'Sign an agreement',
      'agreement-templates': 'Agreement templates',
      enforcement: 'Enforcement',
      outcomes: 'Outcome indicators',
      backup: 'Backups',
      triggers: 'Community Triggers',
      trigger: 'Community Trigger',
      'trigger-new': 'Log a Community Trigger application',
      'subject-access': 'Subject access',
      escalations: 'Escalations',
      retention: 'Retention review',
      'case-erase': 'Erase',
    };
    document.title = `${titles[route.name]}: Concordat`;
  }, [route.name]);

  const banner = (
    <>
      {backupOverdue && route.name !== 'backup' && (
        <NotificationBanner id="backup-reminder" heading={backupOverdue}>
          <p className="govuk-body">
            <Button variant="secondary" className="govuk-!-margin-bottom-0" onClick={() => navigate({ name: 'backup' })}>
              Go to backups
            </Button>
          </p>
        </NotificationBanner>
      )}
      {tamperWarning && (
        <NotificationBanner
          id="tamper"
          type="warning"
          title="Warning: the audit log may have been altered"
          heading={tamperWarning.charAt(0).toUpperCase() + tamperWarning.slice(1)}
        >
          <p className="govuk-body">
            Tell your partnership manager and information governance lead before relying on this store.
            {userMayCall(user, 'audit.acknowledgeTamper') && ' After investigating, acknowledge it on the Audit log screen.'}
          </p>
        </NotificationBanner>
      )}
      {!!start.failedAttemptsSinceLastUnlock && (
        <div className="govuk-inset-text" data-testid="failed-attempts">
          There{' '}
          {start.failedAttemptsSinceLastUnlock === 1
            ? 'was 1 failed attempt'
            : `were ${start.failedAttemptsSinceLastUnlock} failed attempts`}{' '}
          to unlock as you since you last unlocked.
        </div>
      )}
    </>
  );

  return (
    <SessionContext.Provider value={session}>
      <NavigationContext.Provider value={navigate}>
        <PageLayout
          header={
            <Header
              nav={nav}
              session={{
                name: user.displayName,
                role: ROLE_LABELS[user.role],
                organisation: user.organisation,
                justification,
                onChangeJustification: () => void ask('change'),
                onLock: lock,
              }}
            />
          }
          banner={banner}
        >
          <Screen route={route} listState={listState} meetingListState={meetingListState} />
        </PageLayout>
        {prompt && (
          <JustificationDialog
            reason={prompt.reason}
            current={justification ?? start.suggestedJustification ?? null}
            api={api}
            onSet={(value) => {
              justificationRef.current = value;
              setJustification(value);
              prompt.settle(true);
            }}
            onCancel={() => prompt.settle(false)}
            onLocked={() => onLocked(null)}
          />
        )}
      </NavigationContext.Provider>
    </SessionContext.Provider>
  );
}

function Screen({
  route,
  listState,
  meetingListState: [meetingList, setMeetingList],
}: {
  route: Route;
  listState: ReturnType<typeof useCaseListState>;
  meetingListState: [MeetingListState, (next: MeetingListState) => void];
}) {
  switch (route.name) {
    case 'cases':
      return <CaseList state={listState} />;
    case 'case':
      return <CasePage key={route.caseId} caseId={route.caseId} />;
    case 'case-new':
      return <CaseFormScreen />;
    case 'case-edit':
      return <CaseFormScreen key={route.caseId} caseId={route.caseId} />;
    case 'agreements':
      return <Agreements />;
    case 'agreement':
      return <AgreementView key={route.agreementId} agreementId={route.agreementId} />;
    case 'agreement-sign':
      return <SignAgreement key={route.agreementId} agreementId={route.agreementId} />;
    case 'agreement-templates':
      return <TemplateEditor />;
    case 'audit':
      return <AuditLog />;
    case 'admin':
      return <Admin />;
    case 'account':
      return <Account />;
    case 'meetings':
      return <MeetingList state={meetingList} onState={setMeetingList} />;
    case 'meeting':
      return <MeetingPage key={route.meetingId} meetingId={route.meetingId} tab={route.tab} />;
    case 'meeting-new':
      return <MeetingForm />;
    case 'my-actions':
      return <MyActions />;
    case 'enforcement':
      return <EnforcementList />;
    case 'outcomes':
      return <Outcomes />;
    case 'backup':
      return <Backup />;
    case 'triggers':
      return <TriggerList />;
    case 'trigger':
      return <TriggerPage key={route.triggerId} triggerId={route.triggerId} logged={route.logged ?? false} />;
    case 'trigger-new':
      return <TriggerForm caseReference={route.caseReference} />;
    case 'subject-access':
      return <SubjectAccess key={route.personId} personId={route.personId} personName={route.personName} caseId={route.caseId} />;
    case 'escalations':
      return <EscalationList />;
    case 'retention':
      return <Retention />;
    case 'case-erase':
      return (
        <ErasePage
          key={`${route.caseId}-${route.personId ?? ''}`}
          caseId={route.caseId}
          {...(route.personId === undefined ? {} : { personId: route.personId })}
        />
      );
  }
}

function JustificationDialog({
  reason,
  current,
  api,
  onSet,
  onCancel,
  onLocked,
}: {
  reason: Prompt['reason'];
  current: string | null;
  api: Api;
  onSet: (value: string) => void;
  onCancel: () => void;
  onLocked: () => void;
}) {
  const [value, setValue] = useState(current ?? '');
  // Straight to the api: the session's call would ask for a working context, which is what this sets.
  const form = useOperationForm('session.setJustification', {
    call: api.call,
    fallback: 'justification',
    refusal: (error) => {
      if (error.code === 'LOCKED') onLocked();
      return undefined;
    },
  });
  const submit = form.onSubmit(async () => {
    const sent = await form.send({ justification: value });
    if (sent.ok) onSet(sent.value.justification ?? value.trim());
  });
  return (
    <Dialog
      id="justification-dialog"
      title={reason === 'required' ? 'Why do you need to see this?' : 'Change your working context'}
      onCancel={onCancel}
    >
      {form.summary}
      <p className="govuk-body">
        The law (DPA 2018 s62) requires a reason to be recorded whenever case records are viewed or shared. It is saved with everything you
        do until you change it or lock.
      </p>
      <form noValidate onSubmit={submit}>
        <TextField
          id="justification"
          label="Working context"
          hint="For example, Preparing for the 3 Dec People meeting. Do not name residents here: the audit log keeps this for good, and erasing a person cannot reach it."
          width="full"
          value={value}
          onChange={setValue}
          error={form.errors.justification}
          autoFocus
          maxLength={500}
        />
        <ButtonGroup>
          <Button type="submit" disabled={form.busy}>
            Continue
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        </ButtonGroup>
      </form>
    </Dialog>
  );
}

/** For a manager: a reminder when the last backup is older than the store's setting (checked on each screen change). */
function useBackupReminder(user: SessionStart['user'], call: WorkspaceSession['call'], route: Route): string | null {
  const [overdue, setOverdue] = useState<string | null>(null);
  const mayBackUp = userMayCall(user, 'backup.create');
  const checkOn = route.name === 'backup' ? 'backup' : 'other';
  useEffect(() => {
    if (!mayBackUp || checkOn === 'backup') return;
    let live = true;
    // backup.status, not backup.settings: it is not an audited call, so the reminder adds nothing to the log.
    void call('backup.status', {}).then((result) => {
      if (!live || !result.ok || !result.value.reminder) return;
      const { overdue: isOverdue, lastBackupAt, reminderDays } = result.value.reminder;
      setOverdue(
        !isOverdue
          ? null
          : lastBackupAt
            ? `The last backup is more than ${reminderDays} days old`
            : 'No backup of this store has been made yet',
      );
    });
    return () => {
      live = false;
    };
  }, [mayBackUp, call, checkOn]);
  return overdue;
}
