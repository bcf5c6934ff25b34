// Moving focus without touching the URL: the fragment carries the preview's access token, so in-page
// links (skip link, error summary) focus their target by script instead of changing location.hash.
export function focusById(id: string): boolean {
  const target = document.getElementById(id);
  if (!target) return false;
  if (!target.matches('a, button, input, select, textarea, [tabindex]')) target.setAttribute('tabindex', '-1');
  target.focus();
  target.scrollIntoView({ block: 'center' });
  return true;
}

/** Field ids follow the input's path in the contract: `referral.date` → `referral-date`. */
export function fieldId(path: string): string {
  return path.replace(/[^A-Za-z0-9_-]+/g, '-');
}
