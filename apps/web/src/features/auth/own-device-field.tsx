import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import './own-device.css';

interface OwnDeviceFieldProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
  /** Defaults to the sign-in page's words. */
  label?: string;
  hint?: string;
}

/**
 * "Keep data on this device": off unless the doctor ticks it. Its starting state is the last
 * answer given on this browser (the caller reads it with `isOwnDevice()`). The profile page uses
 * it too, with its own words.
 */
export function OwnDeviceField({ checked, onChange, label, hint }: OwnDeviceFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="check-field">
      <input
        id={id}
        type="checkbox"
        className="check-field__box"
        name="ownDevice"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={`${id}-hint`}
      />
      <label htmlFor={id} className="check-field__label">
        {label ?? t('ownDevice.label')}
      </label>
      <p id={`${id}-hint`} className="field__hint check-field__hint">
        {hint ?? t('ownDevice.hint')}
      </p>
    </div>
  );
}
