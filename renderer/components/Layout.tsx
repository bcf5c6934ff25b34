// The frame of every screen: skip link, the header (who is signed in, the working context, Lock), the
// main navigation, and the main region the skip link lands on.
import type { ReactNode } from 'react';
import { InPageLink } from './InPageLink.js';

export interface NavItem {
  id: string;
  label: string;
  current: boolean;
  onSelect: () => void;
}

export interface HeaderSession {
  name: string;
  role: string;
  organisation: string;
  justification: string | null;
  onChangeJustification: () => void;
  onLock: () => void;
}

export function SkipLink() {
  return (
    <InPageLink target="main-content" className="govuk-skip-link">
      Skip to main content
    </InPageLink>
  );
}

export function Header({ session, nav }: { session?: HeaderSession; nav?: readonly NavItem[] }) {
  return (
    <header className="app-header">
      <div className="app-header__bar">
        <span className="app-header__service">Concordat</span>
        <span className="app-header__marking">OFFICIAL-SENSITIVE</span>
        {session && (
          <div className="app-header__session">
            <span className="app-header__user">
              <span className="govuk-visually-hidden">Signed in as </span>
              <strong data-testid="header-user">{session.name}</strong>
              <span className="app-header__meta">
                {' '}
                · {session.role} · {session.organisation}
              </span>
            </span>
            <button type="button" className="app-header__lock" onClick={session.onLock} aria-keyshortcuts="Control+L">
              Lock <span className="app-header__shortcut">(Ctrl+L)</span>
            </button>
          </div>
        )}
      </div>
      {session && (
        <div className="app-header__context" data-testid="working-context">
          <span className="app-header__context-label">Working context:</span>{' '}
          {session.justification ? <q>{session.justification}</q> : <span>not set</span>}{' '}
          <button type="button" className="app-link-button app-header__context-change" onClick={session.onChangeJustification}>
            {session.justification ? 'Change' : 'Set'}
            <span className="govuk-visually-hidden"> working context</span>
          </button>
        </div>
      )}
      {nav && nav.length > 0 && (
        <nav className="app-nav" aria-label="Main">
          <ul className="app-nav__list">
            {nav.map((item) => (
              <li key={item.id} className="app-nav__item">
                <button type="button" className="app-nav__link" aria-current={item.current ? 'page' : undefined} onClick={item.onSelect}>
                  {item.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </header>
  );
}

export function PageLayout({
  header,
  banner,
  children,
  wide = true,
}: {
  header: ReactNode;
  banner?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <>
      <SkipLink />
      {header}
      <div className={wide ? 'app-width-container' : 'govuk-width-container'}>
        {banner}
        <main className="govuk-main-wrapper app-main" id="main-content" tabIndex={-1}>
          {children}
        </main>
      </div>
    </>
  );
}
