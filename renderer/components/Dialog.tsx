import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal dialog on the native <dialog> element: the browser keeps focus inside it, makes the rest of
 * the page inert and closes it on Escape (reported through onCancel).
 */
export function Dialog({
  title,
  children,
  onCancel,
  id = 'dialog',
}: {
  title: ReactNode;
  children: ReactNode;
  onCancel: () => void;
  id?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      id={id}
      className="app-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 className="govuk-heading-m" id={`${id}-title`}>
        {title}
      </h2>
      {children}
    </dialog>
  );
}
