// The unlocked application: header, navigation and the current screen, with the session services every
// screen uses. It is mounted afresh for each unlock and dropped whole on lock.
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ROLE_LABELS } from '../src/domain/access.js';
import { operations, type InputOf, type OperationName, type OutputOf } from '../src/contract/operations.js';
import type { Api, Result } from './api.js';
import type { SessionStart } from './App.js';
import { Header, PageLayout, type NavItem } from './components/Layout.js';
import { NotificationBanner } from './components/NotificationBanner.js';
import { Dialog } from './components/Dialog.js';
import { ErrorSummary, TextField, type FieldErrors } from './components/form.js';
import { Button, ButtonGroup } from './components/Button.js';
import { errorsFromResult, errorsFromZod } from './lib/form-errors.js';
import { SessionContext, mayCall, type Session } from './session.js';
import { NavigationContext, type Route } from './navigation.js';
import { CaseList, useCaseListState } from './screens/CaseList.js';
import { CaseProfile } from './screens/CaseProfile.js';
import { CaseFormScreen } from './screens/CaseForm.js';
import { AuditLog } from './screens/AuditLog.js';
import { Admin } from './screens/Admin.js';
import { Account } from './screens/Account.js';
import { Agreements } from './screens/agreements/Agreements.js';
import { AgreementView } from './screens/agreements/AgreementView.js';
import { SignAgreement } from './screens/agreements/SignAgreement.js';
import { TemplateEditor } from './screens/agreements/TemplateEditor.js';

interface Prompt {
  reason: 'required' | 'change';
  settle: (ok: boolean) => void;
}

export function Workspace({ api, start, onLocked }: { api: Api; start: SessionStart; onLocked: (reason: string | null) => void }) {
  const [justification, setJustification] = useState(start.justification);
  const [tamperWarning, setTamperWarning] = useState(start.tamperWarning);
  const [route, setRoute] = useState<Route>({ name: 'cases' });
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const pending = useRef<Promise<boolean> | null>(null);
  const listState = useCaseListState();
  const user = start.user;

  const ask = useCallback((reason: Prompt['reason']): Promise<boolean> => {
    // Several calls refused at once (list pages, a profile) share one question.
    pending.current ??= new Promise<boolean>((resolve) => {
      setPrompt({ reason, settle: (ok) => {
        pending.current = null;
        setPrompt(null);
        resolve(ok);
      } });
    });
    return pending.current;
  }, []);

  const call = useCallback(async <N extends OperationName>(operation: N, input: InputOf<N>): Promise<Result<OutputOf<N>>> => {
    let result = await api.call(operation, input);
    if (!result.ok && result.error.code === 'JUSTIFICATION_REQUIRED' && (await ask('required'))) result = await api.call(operation, input);
    if (!result.ok && result.error.code === 'LOCKED') onLocked(null);
    return result;
  }, [api, ask, onLocked]);

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

  const session = useMemo<Session>(() => ({
    user, justification, tamperWarning, call, lock,
    changeJustification: () => ask('change'),
    tamperAcknowledged: () => setTamperWarning(null),
  }), [user, justification, tamperWarning, call, lock, ask]);

  const navigate = useCallback((next: Route) => setRoute(next), []);
  const section = route.name.startsWith('case') ? 'cases' : route.name.startsWith('agreement') ? 'agreements' : route.name;
  const nav: NavItem[] = [
    { id: 'cases', label: 'Cases', current: section === 'cases', onSelect: () => navigate({ name: 'cases' }) },
    ...(mayCall(user, 'agreements.list') ? [{ id: 'agreements', label: 'Agreements', current: section === 'agreements', onSelect: () => navigate({ name: 'agreements' }) }] : []),
    ...(mayCall(user, 'audit.query') ? [{ id: 'audit', label: 'Audit log', current: section === 'audit', onSelect: () => navigate({ name: 'audit' }) }] : []),
    ...(mayCall(user, 'users.list') ? [{ id: 'admin', label: 'People administration', current: section === 'admin', onSelect: () => navigate({ name: 'admin' }) }] : []),
    { id: 'account', label: 'Your account', current: section === 'account', onSelect: () => navigate({ name: 'account' }) },
  ];

  useEffect(() => {
    const titles: Record<Route['name'], string> = {
      cases: 'Cases', case: 'Case', 'case-new': 'New case', 'case-edit': 'Edit case',
      agreements: 'Agreements', agreement: 'Agreement', 'agreement-sign': 'Sign an agreement', 'agreement-templates': 'Agreement templates', audit: 'Audit log', admin: 'People administration', account: 'Your account',
    };
    document.title = `${titles[route.name]}: Concordat`;
  }, [route.name]);

  const banner = (
    <>
      {tamperWarning && (
        <NotificationBanner id="tamper" type="warning" title="Warning: the audit log may have been altered" heading={tamperWarning.charAt(0).toUpperCase() + tamperWarning.slice(1)}>
          <p className="govuk-body">
            Tell your partnership manager and information governance lead before relying on this store.
            {mayCall(user, 'audit.acknowledgeTamper') && ' After investigating, acknowledge it on the Audit log screen.'}
          </p>
        </NotificationBanner>
      )}
      {!!start.failedAttemptsSinceLastUnlock && (
        <div className="govuk-inset-text" data-testid="failed-attempts">
          There {start.failedAttemptsSinceLastUnlock === 1 ? 'was 1 failed attempt' : `were ${start.failedAttemptsSinceLastUnlock} failed attempts`} to unlock as you since you last unlocked.
        </div>
      )}
    </>
  );

  return (
    <SessionContext.Provider value={session}>
      <NavigationContext.Provider value={navigate}>
        <PageLayout
          header={<Header nav={nav} session={{
            name: user.displayName, role: ROLE_LABELS[user.role], organisation: user.organisation, justification,
            onChangeJustification: () => void ask('change'), onLock: lock,
          }} />}
          banner={banner}
        >
          <Screen route={route} listState={listState} />
        </PageLayout>
        {prompt && (
          <JustificationDialog
            reason={prompt.reason}
            current={justification}
            api={api}
            onSet={(value) => {
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

function Screen({ route, listState }: { route: Route; listState: ReturnType<typeof useCaseListState> }) {
  switch (route.name) {
    case 'cases': return <CaseList state={listState} />;
    case 'case': return <CaseProfile key={route.caseId} caseId={route.caseId} />;
    case 'case-new': return <CaseFormScreen />;
    case 'case-edit': return <CaseFormScreen key={route.caseId} caseId={route.caseId} />;
    case 'agreements': return <Agreements />;
    case 'agreement': return <AgreementView key={route.agreementId} agreementId={route.agreementId} />;
    case 'agreement-sign': return <SignAgreement key={route.agreementId} agreementId={route.agreementId} />;
    case 'agreement-templates': return <TemplateEditor />;
    case 'audit': return <AuditLog />;
    case 'admin': return <Admin />;
    case 'account': return <Account />;
  }
}

function JustificationDialog({ reason, current, api, onSet, onCancel, onLocked }: {
  reason: Prompt['reason'];
  current: string | null;
  api: Api;
  onSet: (value: string) => void;
  onCancel: () => void;
  onLocked: () => void;
}) {
  const [value, setValue] = useState(current ?? '');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const labels = { justification: 'Working context' };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = operations['session.setJustification'].input.safeParse({ justification: value });
    if (!parsed.success || parsed.data.justification === null) return setErrors(parsed.success ? { justification: 'Enter a working context' } : errorsFromZod(parsed.error, labels));
    setBusy(true);
    const result = await api.call('session.setJustification', { justification: parsed.data.justification });
    setBusy(false);
    if (result.ok) return onSet(result.value.justification ?? parsed.data.justification);
    if (result.error.code === 'LOCKED') return onLocked();
    setErrors(errorsFromResult(result.error, labels, 'justification'));
  };
  return (
    <Dialog id="justification-dialog" title={reason === 'required' ? 'Why do you need to see this?' : 'Change your working context'} onCancel={onCancel}>
      <ErrorSummary errors={errors} />
      <p className="govuk-body">
        The law (DPA 2018 s62) requires a reason to be recorded whenever case records are viewed or shared. It is saved with everything you do until you change it or lock.
      </p>
      <form noValidate onSubmit={(e) => void submit(e)}>
        <TextField id="justification" label="Working context" hint="For example, Preparing for the 3 Dec People meeting" width="full" value={value} onChange={setValue}
          error={errors.justification} autoFocus maxLength={500} />
        <ButtonGroup>
          <Button type="submit" disabled={busy}>Continue</Button>
          <Button variant="secondary" onClick={onCancel}>Cancel</Button>
        </ButtonGroup>
      </form>
    </Dialog>
  );
}
