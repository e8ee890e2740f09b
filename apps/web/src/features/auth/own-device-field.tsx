import { useId } from 'react';
import { useTranslation } from 'react-i18next';

interface OwnDeviceFieldProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
}

/**
 * "Keep data on this device": off unless the doctor ticks it. Its starting state is the last
 * answer given on this browser (the caller reads it with `isOwnDevice()`).
 */
export function OwnDeviceField({ checked, onChange }: OwnDeviceFieldProps) {
  const { t } = useTranslation();
  const hintId = useId();
  return (
    <div className="field">
      <label>
        <input
          type="checkbox"
          name="ownDevice"
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          aria-describedby={hintId}
        />{' '}
        {t('ownDevice.label')}
      </label>
      <p id={hintId} className="field__hint">
        {t('ownDevice.hint')}
      </p>
    </div>
  );
}
