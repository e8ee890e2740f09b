import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldErrors } from '@medora/schema';
import { fieldErrorMessage } from '../lib/errors';

interface ErrorSummaryProps {
  summaryRef: RefObject<HTMLDivElement | null>;
  fieldErrors: FieldErrors;
  formError: string | null;
  /** Field path → { input id, label } for the fields of this form. */
  fields: Record<string, { id: string; label: string }>;
}

/**
 * The list of problems at the top of a form (role="alert"), each linking to its field. Errors for
 * paths the form does not show (or the root "") are listed as plain text.
 */
export function ErrorSummary({ summaryRef, fieldErrors, formError, fields }: ErrorSummaryProps) {
  const { t } = useTranslation();
  const entries = Object.entries(fieldErrors).filter(([, codes]) => codes.length > 0);
  const hasContent = !!formError || entries.length > 0;
  return (
    <div
      ref={summaryRef}
      role="alert"
      tabIndex={-1}
      className={hasContent ? 'error-summary' : 'visually-hidden'}
    >
      {hasContent && (
        <>
          {formError && <p className="error-summary__message">{formError}</p>}
          {entries.length > 0 && (
            <>
              <p className="error-summary__title">{t('errors.summaryTitle')}</p>
              <ul>
                {entries.map(([path, codes]) => {
                  const field = fields[path];
                  const text = codes.map((c) => fieldErrorMessage(t, c)).join(' ');
                  return (
                    <li key={path || '_root'}>
                      {field ? (
                        <a href={`#${field.id}`}>
                          {field.label}: {text}
                        </a>
                      ) : (
                        text
                      )}
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </>
      )}
    </div>
  );
}
