import { useTranslation } from 'react-i18next';
import { toasts } from '../../components/ui/toast';
import { setOwnDevice, useOwnDevice } from '../../lib/device-trust';

/**
 * The sign-in page's "keep data on this device", changeable later. Turning it off removes the
 * saved patient data from this browser at once (what is open stays in memory for this session).
 */
export function DeviceDataPanel() {
  const { t } = useTranslation();
  const ownDevice = useOwnDevice();
  const onChange = (checked: boolean) => {
    setOwnDevice(checked);
    toasts.success(checked ? t('deviceData.kept') : t('deviceData.removed'));
  };
  return (
    <section className="panel" aria-labelledby="device-data-title">
      <h2 id="device-data-title">{t('deviceData.title')}</h2>
      <div className="field">
        <label>
          <input
            type="checkbox"
            name="ownDevice"
            checked={ownDevice}
            onChange={(e) => onChange(e.target.checked)}
            aria-describedby="device-data-hint"
          />{' '}
          {t('deviceData.label')}
        </label>
        <p id="device-data-hint" className="field__hint">
          {t('deviceData.hint')}
        </p>
      </div>
    </section>
  );
}
