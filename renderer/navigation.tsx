// Where the workspace is. Kept in memory, not in the URL: the fragment holds the preview's token, and a
// location in history would outlive a lock.
import { createContext, useContext } from 'react';

export type Route =
  | { name: 'cases' }
  | { name: 'case'; caseId: number }
  | { name: 'case-new' }
  | { name: 'case-edit'; caseId: number }
  | { name: 'agreements' }
  | { name: 'agreement'; agreementId: number }
  | { name: 'agreement-sign'; agreementId: number }
  | { name: 'agreement-templates' }
  | { name: 'audit' }
  | { name: 'admin' }
  | { name: 'account' }
  | { name: 'meetings' }
  | { name: 'meeting'; meetingId: number; tab?: MeetingTab }
  | { name: 'meeting-new' }
  | { name: 'my-actions' }
  | { name: 'enforcement' }
  | { name: 'outcomes' }
  | { name: 'backup' }
  | { name: 'triggers' }
  | { name: 'trigger'; triggerId: number; logged?: boolean }
  | { name: 'trigger-new'; caseReference?: string }
  | { name: 'subject-access'; personId: number; personName: string; caseId: number }
  | { name: 'escalations' }
  | { name: 'retention' }
  | { name: 'case-erase'; caseId: number; personId?: number };

export type MeetingTab = 'details' | 'agenda' | 'minutes' | 'actions' | 'export';

export const NavigationContext = createContext<(route: Route) => void>(() => undefined);

export function useNavigate(): (route: Route) => void {
  return useContext(NavigationContext);
}
