import type { ButtonHTMLAttributes, ReactNode } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'warning' | 'link';

const VARIANT_CLASS: Record<ButtonVariant, string> = {
  primary: 'govuk-button',
  secondary: 'govuk-button govuk-button--secondary',
  warning: 'govuk-button govuk-button--warning',
  link: 'app-link-button',
};

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  children: ReactNode;
}

/** type defaults to "button": only a form's main action submits it. */
export function Button({ variant = 'primary', className, type = 'button', children, ...rest }: ButtonProps) {
  return (
    <button type={type} className={[VARIANT_CLASS[variant], className].filter(Boolean).join(' ')} data-module="govuk-button" {...rest}>
      {children}
    </button>
  );
}

export function ButtonGroup({ children }: { children: ReactNode }) {
  return <div className="govuk-button-group">{children}</div>;
}
